"""A statement Document as one self-contained, accessible HTML page (no scripts, no fetches)."""
from __future__ import annotations

import html

from dashboard.statement.document import Big, Bullets, Document, Heading, Para, SaidDid, Table

CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c;line-height:1.5}
table{border-collapse:collapse;width:100%;margin:0.5rem 0 1.5rem}th,td{border:1px solid #b1b4b6;padding:0.4rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}caption{text-align:left;font-weight:bold;padding:0.3rem 0}.note{font-size:0.9rem;color:#3d3d3d}
.synthetic{border:3px solid #b93a00;background:#fff4ec;color:#b93a00;font-weight:bold;padding:0.6rem}
.big{border:3px solid #0072B2;border-radius:14px;padding:1rem 1.2rem;margin:0 0 1rem;background:#f5faff}
.big p{font-size:1.5rem;font-weight:600;margin:0 0 0.4rem}.dots{font-size:2.2rem;letter-spacing:0.2rem;color:#0072B2}
.saiddid{border-left:8px solid #0072B2;padding:0.5rem 1rem;margin:0 0 1rem;font-size:1.3rem}
.child{font-size:1.3rem}.child h1{font-size:2.4rem}.child h2{font-size:1.9rem}
"""


def render(doc: Document) -> str:
    e = html.escape
    parts = [f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{e(doc.title)}</title>'
             f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
             f'<body class="{"child" if doc.child_friendly else "full"}"><main><h1>{e(doc.title)}</h1>']
    first_para = True
    for b in doc.blocks:
        if isinstance(b, Heading):
            parts.append(f"<h{b.level}>{e(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            cls = "synthetic" if doc.synthetic and first_para else ("note" if b.note else "")
            parts.append(f'<p class="{cls}">{e(b.text)}</p>' if cls else f"<p>{e(b.text)}</p>")
            first_para = False
        elif isinstance(b, Bullets):
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            head = "".join(f'<th scope="col">{e(h)}</th>' for h in b.header)
            body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in b.rows)
            parts.append(f"<table><caption>{e(b.caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif isinstance(b, Big):
            dots = (f'<div class="dots" role="img" aria-label="{e(b.picture_says or b.sentence)}">{e(b.picture)}</div>'
                    if b.picture else "")
            says = f"<div>{e(b.picture_says)}</div>" if b.picture_says else ""
            parts.append(f'<div class="big"><p>{e(b.sentence)}</p>{dots}{says}</div>')
        elif isinstance(b, SaidDid):
            parts.append(f'<div class="saiddid"><p><strong>{e(b.you_said)}</strong></p><p>{e(b.we_did)}</p></div>')
    parts.append("</main></body></html>")
    return "\n".join(parts)

"""The panel report as one self-contained HTML file: real headings, captions and tables for screen
readers, charts inline as SVG, and print rules for A4. Every piece of text is escaped."""
from __future__ import annotations

from html import escape

import polars as pl

from dashboard.report.charts import Chart
from dashboard.report.layout import Layout, Section

CSS = """
@page { size: A4; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #0b0c0c; background: #fff;
       max-width: 62rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: .6rem 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #0b0c0c; padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.3rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
p, li, dd { max-width: 48rem; }
a { color: #1d4f91; }
.synthetic { border: 3px solid #b93a00; background: #fff4ec; padding: .6rem .9rem; margin: .5rem 0 1rem; }
.meta { color: #3d3d3d; }
.summary { font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: .4rem 0 1.3rem; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #8a8d90; padding: 3px 6px; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
figure { margin: 1rem 0 .4rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-style: italic; margin-top: .3rem; }
dl dt { font-weight: bold; margin-top: .5rem; }
dl dd { margin-left: 1.2rem; }
.legend td:first-child { font-weight: bold; width: 4rem; }
nav ol { columns: 2; }
footer { margin-top: 2rem; border-top: 1px solid #8a8d90; padding-top: .5rem; font-size: 9pt; color: #3d3d3d; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  section.domain, section.page { break-before: page; }
  figure, .keep { break-inside: avoid; }
  h2, h3, h4, caption { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _table(frame: pl.DataFrame, caption: str, table_id: str) -> str:
    if frame.height == 0:
        return ""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in frame.columns)
    body = []
    for row in frame.iter_rows():
        first = f'<th scope="row">{escape(row[0])}</th>' if row[0] else "<td></td>"  # blank: same as the row above
        cells = [first] + [f"<td>{escape(v)}</td>" for v in row[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table id="{table_id}"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _chart(chart: Chart, number: int, table_number: int) -> str:
    cap_id = f"figure-{number}"
    svg = chart.svg.replace("<svg", f'<svg role="img" aria-labelledby="{cap_id}"', 1)
    return (f'<figure class="keep">{svg}<figcaption id="{cap_id}">Figure {number}. {escape(chart.caption)} '
            f'The same figures are in table {table_number} below.</figcaption></figure>')


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _md(text: str) -> str:
    """The methods wording marks bold with **...**: escape, then turn those into <strong>."""
    parts = escape(text).split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))


def render_html(layout: Layout) -> str:
    r = layout.report
    out: list[str] = []
    add = out.append
    add(f'<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(layout.heading)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n")
    if r.synthetic:
        add(f'<p class="synthetic" role="note"><strong>{escape(r.synthetic_text)}</strong></p>\n')
    add(f"<h1>{escape(layout.heading)}</h1>\n")
    for line in layout.intro:
        add(f'<p class="meta">{escape(line)}</p>\n')
    add("</header>\n<main>\n")
    add('<nav aria-label="Contents"><h2>Contents</h2><ol>'
        + "".join(f'<li><a href="#{s.anchor}">{escape(s.title)}</a></li>' for s in layout.sections)
        + "</ol></nav>\n")
    for section in layout.sections:
        add(_section(section, layout))
    add("</main>\n<footer>")
    add(escape(layout.footer))
    add("</footer>\n</body>\n</html>\n")
    return "".join(out)


def _section(s: Section, layout: Layout) -> str:
    out = [f'<section id="{s.anchor}" class="{s.css}">', f"<h2>{escape(s.title)}</h2>"]
    for block in s.blocks:
        kind = block[0]
        if kind == "p":
            out.append(f"<p>{_md(block[1])}</p>")
        elif kind == "summary":
            out.append(f'<p class="summary">{escape(block[1])}</p>')
        elif kind == "h3":
            out.append(f"<h3>{escape(block[1])}</h3>")
        elif kind == "h4":
            out.append(f"<h4>{escape(block[1])}</h4>")
        elif kind == "list":
            out.append("<ul>" + "".join(f"<li>{_md(i)}</li>" for i in block[1]) + "</ul>")
        elif kind == "chart":
            _, chart, number, table_number = block
            out.append(_chart(chart, number, table_number))
        elif kind == "table":
            _, frame, caption, number = block
            out.append(_table(frame, f"Table {number}. {caption}", f"table-{number}"))
        elif kind == "legend":
            rows = "".join(f"<tr><td>{escape(c)}</td><td>{escape(m)}</td></tr>" for c, m in block[1])
            out.append(f'<table class="legend"><caption>What the status codes mean</caption>'
                       f'<thead><tr><th scope="col">Code</th><th scope="col">Meaning</th></tr></thead>'
                       f"<tbody>{rows}</tbody></table>")
        elif kind == "dl":
            out.append("<dl>" + "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in block[1]) + "</dl>")
    out.append("</section>\n")
    return "\n".join(out)


"""Text from data shown as plain text: never markdown, HTML or a link, whatever a file holds.

Streamlit draws st.markdown, captions, alerts and titles as markdown, and Plotly draws a few HTML
tags in labels and hovers. Any text that came from a loaded file (a theme, a quote, action text, a
file name) or from the address bar goes through one of these before it reaches them.
"""
from __future__ import annotations

import html
import re

# Every character that can start markdown, HTML or a link on one line is backslash-escaped (CommonMark
# then shows it as itself): emphasis, code, links and images, HTML tags and entities, strike, maths ($),
# headings, tables, Streamlit's :colour[...] and :icon: directives. Ordinary punctuation (. , - ' ") is
# left alone, so text reads as written in the source as well; a list or heading marker at the very
# start is escaped too.
_SPECIAL = re.compile(r"([\\`*_\[\]<>~$!#&|:@{}^])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")
# Streamlit's markdown turns a bare URL or email into a link after escapes are resolved (GFM autolink
# literals), so an escape cannot stop it: an invisible WORD JOINER before ":" and "@" and after "www"
# breaks the pattern while the reader sees the same text.
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(\\[:@])|(?i:\b(www)(?=\.))")


def plain(text: object) -> str:
    """Text for st.markdown / st.caption / alerts: shown exactly as written, on one line, never a link."""
    text = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    text = _AUTOLINK.sub(lambda m: JOINER + m.group(1) if m.group(1) else m.group(2) + JOINER, text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)


def chart_text(text: object) -> str:
    """Text for a Plotly label or hover: its HTML subset (<a href>, <b>, <br>...) escaped."""
    return html.escape(" ".join(str(text).split()), quote=False)


def code(text: object) -> str:
    """Text as an inline code span (a path, a command): shown literally, whatever it holds."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if text.startswith("`") or text.endswith("`") else f"{fence}{text}{fence}"

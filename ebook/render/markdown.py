"""Markdown in, a well-formed XHTML fragment out, whatever the text holds.

Raw HTML is shown as text (markdown-it with html off), links keep only http, https and mailto,
image syntax never fetches anything (the alt text is shown), and nh3 (ammonia) re-checks the
result against an allow-list before lxml serialises it as XML, so the EPUB can never receive a
fragment it would silently drop (ebooklib writes an unparsable chapter as an empty page).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import nh3
from lxml import etree, html
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ebook.render.typography import Marks, markdown_rule

_SCHEMES = ("http:", "https:", "mailto:")
_TAGS = {
    "p",
    "em",
    "strong",
    "a",
    "blockquote",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "span",
}
_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


def _valid_link(url: str) -> bool:
    return url.strip().lower().startswith(_SCHEMES)


def _image_as_text(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    alt = "".join(child.content for child in tokens[idx].children or [])
    return f"[{nh3.clean_text(alt)}]" if alt else ""


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "linkify": False})
    md.validateLink = _valid_link  # type: ignore[method-assign]  # markdown-it's documented hook
    md.add_render_rule("image", _image_as_text)
    md.core.ruler.before("text_join", "typography", markdown_rule)  # only when to_xhtml is given marks
    return md


def _rank_headings(tokens: list[Token], top_level: int) -> None:
    """Body headings sit below the title that introduces them, without gaps: the highest level the
    author used becomes top_level, the next one top_level + 1 (so '## A' then '#### B' gives
    h2, h3 under an h1 title), which keeps the heading order screen readers and Ace expect."""
    levels = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    rank = {level: min(6, top_level + i) for i, level in enumerate(levels)}
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{rank[int(token.tag[1])]}"


# What XML 1.0 cannot carry at all. The loaders already refuse these; this keeps the promise
# "any text in, well-formed XHTML out" for every caller.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def to_xhtml(md: MarkdownIt, text: str, top_level: int = 2, id_prefix: str = "", marks: Marks | None = None) -> str:
    """id_prefix gives each top-level block an id (prefix1, prefix2, …): the places the EPUB's
    page-break markers are anchored to. marks: the language's typography (render/typography.py),
    or None for the text as typed."""
    tokens = md.parse(_NOT_XML.sub("\ufffd", text), {"marks": marks})
    _rank_headings(tokens, top_level)
    rendered = md.renderer.render(tokens, md.options, {})
    cleaned = nh3.clean(
        rendered, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener"
    )
    if not cleaned.strip():
        return ""
    wrapper = html.fragment_fromstring(cleaned, create_parent="div")
    for link in wrapper.iter("a"):
        link.set("rel", "noopener")
    if id_prefix:
        for number, block in enumerate(wrapper, start=1):
            block.set("id", f"{id_prefix}{number}")
    text = escape(wrapper.text or "")
    return text + "".join(etree.tostring(child, encoding="unicode", method="xml") for child in wrapper)

"""A small HTML tree (what docx.py and odt.py build from Word and OpenDocument files) as
CommonMark that make-book renders the way the author wrote it.

Only what a testimonial uses is carried: paragraphs, headings, bold, italic, links, lists (nested,
numbered or not), quotes and line breaks. Pictures are taken out by the caller (they become the
entry's photos); a table's cells become paragraphs (the caller has said so in a warning).
"""

from __future__ import annotations

import re

from lxml import etree

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "div", "hr"}
# Characters CommonMark may read as markup anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
# At the start of a line: headings, quotes, list markers, thematic breaks, code fences.
_LINE_START = re.compile(r"^(\s*)(#|>|[-+=]|~~~)")
_NUMBERED = re.compile(r"^(\s*\d{1,9})([.)])")
_SCHEMES = ("http://", "https://", "mailto:")


def _tag(node: etree._Element) -> str:
    return node.tag.lower() if isinstance(node.tag, str) else ""


def escape(text: str) -> str:
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    return text


def _escape_line_starts(text: str) -> str:
    lines = (_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line) for line in text.split("\n"))
    return "\n".join(_NUMBERED.sub(r"\1\\\2", line) for line in lines)


def _wrap(inner: str, mark: str) -> str:
    """Emphasis marks must touch the words (CommonMark's flanking rules): spaces go outside."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def inline(node: etree._Element) -> str:
    parts = [escape(node.text or "")]
    for child in node:
        tag = _tag(child)
        if tag in ("strong", "b"):
            parts.append(_wrap(inline(child), "**"))
        elif tag in ("em", "i"):
            parts.append(_wrap(inline(child), "*"))
        elif tag == "a":
            text = inline(child)
            href = (child.get("href") or "").strip()
            if href.lower().startswith(_SCHEMES) and text.strip() and not re.search(r"[\s<>]", href):
                text = f"[{text}](<{href}>)" if "(" in href or ")" in href else f"[{text}]({href})"
            parts.append(text)
        elif tag == "br":
            parts.append("\\\n")
        elif tag == "img":
            pass
        elif tag in _BLOCKS:
            parts.append(" " + inline(child) + " ")
        else:  # span, sup, sub, u, s: their text
            parts.append(inline(child))
        parts.append(escape(child.tail or ""))
    return "".join(parts)


def _paragraph(node: etree._Element) -> str:
    text = inline(node)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text.replace("\xa0", " ").strip(" \t"))
    text = re.sub(r"(?<!\\)\n", " ", text)  # a soft line break in the source is a space
    text = re.sub(r"(\\\n)+$", "", text)
    return _escape_line_starts(text.strip())


def blocks(node: etree._Element) -> list[str]:
    """The Markdown blocks of node's children, in order."""
    out: list[str] = []
    loose = [node.text or ""]
    for child in node:
        tag = _tag(child)
        if tag == "p":
            out.append(_paragraph(child))
        elif re.fullmatch(r"h[1-6]", tag):
            text = _paragraph(child).replace("\n", " ")
            if text:
                out.append("#" * int(tag[1]) + " " + text.lstrip("\\#").strip())
        elif tag in ("ul", "ol"):
            out.append(_list(child, tag == "ol"))
        elif tag == "blockquote":
            inner = "\n\n".join(b for b in blocks(child) if b)
            out.append("\n".join(("> " + line) if line else ">" for line in inner.split("\n")))
        elif tag in ("table", "tbody", "thead", "tr", "td", "th", "div", "section"):
            out += blocks(child)
            if tag in ("td", "th") and not len(child) and (child.text or "").strip():
                out.append(_escape_line_starts(escape((child.text or "").strip())))
        elif tag == "hr":
            out.append("***")
        loose.append(child.tail or "")
    text = " ".join(t.strip() for t in loose if t.strip())
    if text and _tag(node) not in ("td", "th"):
        out.insert(0, _escape_line_starts(escape(text)))
    return [b for b in out if b.strip()]


def _list(node: etree._Element, numbered: bool) -> str:
    items = []
    number = int(node.get("start", "1") or 1) if numbered else 0
    for li in node:
        if _tag(li) != "li":
            continue
        marker = f"{number}. " if numbered else "- "
        number += 1
        own = etree.Element("p")
        own.text = li.text
        parts: list[tuple[str, bool]] = []  # (Markdown, is a list)
        for child in li:
            if _tag(child) in ("ul", "ol", "p", "blockquote", "table") or re.fullmatch(r"h[1-6]", _tag(child)):
                parts += [(b, _tag(child) in ("ul", "ol")) for b in blocks(_holder(child))]
            else:
                own.append(_copy(child))
        parts = [(b, is_list) for b, is_list in [(_paragraph(own), False), *parts] if b]
        # A list inside an item follows its text on the next line, keeping the list tight.
        body = "".join(("\n" if is_list else "\n\n") + b if i else b for i, (b, is_list) in enumerate(parts))
        indent = " " * len(marker)
        lines = body.split("\n")
        items.append(marker + lines[0] + "".join("\n" + (indent + line if line else "") for line in lines[1:]))
    return "\n".join(items)


def _holder(child: etree._Element) -> etree._Element:
    holder = etree.Element("div")
    holder.append(_copy(child))
    return holder


def _copy(node: etree._Element) -> etree._Element:
    import copy

    clone = copy.deepcopy(node)
    clone.tail = node.tail
    return clone


def to_markdown(root: etree._Element) -> str:
    return "\n\n".join(blocks(root)).strip() + "\n"

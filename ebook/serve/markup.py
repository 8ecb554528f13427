"""What serve adds to the edition's pages: the problems banner and the reload script, and its own
pages for a book that cannot be shown yet or a page that is not there. Markup in the templates
beside this file (banner.html, page.html), escaped by Jinja."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from ebook.problems import Problem, Severity, summary

OWN_FILES = {"reload.js": "text/javascript; charset=utf-8", "preview.css": "text/css; charset=utf-8"}
_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def own_file(name: str) -> bytes | None:
    """reload.js or preview.css, served under /__make-book/."""
    return (Path(__file__).parent / name).read_bytes() if name in OWN_FILES else None


def banner(problems: tuple[Problem, ...]) -> Markup:
    """The problems, one a line as the terminal shows them (path:line:column: CODE message)."""
    if not problems:
        return Markup("")
    lines = [(p.format(), p.severity is Severity.ERROR) for p in problems]
    return Markup(
        _templates()
        .get_template("banner.html")
        .render(summary=summary(problems), problems=lines, errors=any(error for _, error in lines))
    )


def _script(version: int) -> bytes:
    return f'<script src="/__make-book/reload.js" data-version="{version}"></script>\n'.encode()


def inject(page: bytes, shown_banner: Markup, version: int) -> bytes:
    """The page with the banner first in its body and the reload script last."""
    opening = _BODY.search(page)
    at = opening.end() if opening else 0
    page = page[:at] + str(shown_banner).encode() + page[at:]
    end = page.lower().rfind(b"</body")
    end = end if end >= 0 else len(page)
    return page[:end] + _script(version) + page[end:]


def own_page(title: str, text: str, shown_banner: Markup, version: int, contents: bool) -> bytes:
    """A page of serve's own: the problems when there is no edition yet, or a page not found."""
    page = (
        _templates()
        .get_template("page.html")
        .render(title=title, text=text, banner=shown_banner, contents=contents)
        .encode()
    )
    return inject(page, Markup(""), version)

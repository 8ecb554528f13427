"""Which file of the edition a request names, if any. The edition lives in memory, so no request
can reach the disk; the path is still refused outright when it tries to leave the edition (a
`..` or `.` segment, encoded or not, a backslash, a NUL, an absolute path after the slash), so that
what is refused does not depend on how the edition is stored."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

OWN_PREFIX = "__make-book/"  # serve's own files and events; no entry id begins with "_"


@dataclass(frozen=True)
class Request:
    path: str  # under read/: "index.html", "durand.html", "__make-book/events"
    query: dict[str, list[str]]


class BadRequest(ValueError):
    """A request that names no file and never could: answered 400."""


def parse_target(target: str) -> Request:
    """The request target of an HTTP request line, as a path inside the edition."""
    if not target.startswith("/"):
        raise BadRequest("the path must begin with /")
    raw_path, _, query = target.partition("#")[0].partition("?")
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError as e:
        raise BadRequest("the path is not UTF-8") from e
    if "\\" in path or "\0" in path or any(ord(c) < 32 for c in path):
        raise BadRequest("the path holds a backslash or a control character")
    inside = path[1:]
    if inside.startswith("/"):
        raise BadRequest("the path is absolute")
    segments = inside.split("/")
    if any(s in (".", "..") for s in segments):
        raise BadRequest("the path leaves its folder")
    if inside == "" or inside.endswith("/"):
        inside += "index.html"
    return Request(inside, parse_qs(query))

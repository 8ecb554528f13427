"""The package's shape as a newcomer meets it: folders that show the pipeline, modules of a readable
size, imports that only go one way, and every use of a library's private internals in one folder."""

from __future__ import annotations

import ast
from pathlib import Path

import ebook

PACKAGE = Path(ebook.__file__).parent
INTERNALS = PACKAGE / "pdf" / "weasyprint"
# Libraries whose insides make-book reaches into for speed; only pdf/weasyprint/ may import them
# WeasyPrint itself through its public API: the top-level names and weasyprint.urls' fetcher
# (https://doc.courtbouillon.org/weasyprint/stable/api_reference.html).
PRIVATE_ONLY = ("pydyf", "cffi", "fontTools", "pyphen", "weasyprint.")
PUBLIC = ("weasyprint.urls",)
PIPELINE_FOLDERS = {"read", "templates", "render", "epub", "pdf", "publish", "bookkeeping", "commands"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def test_the_folders_show_the_pipeline() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders >= PIPELINE_FOLDERS


def test_no_module_is_over_400_lines() -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text("utf-8").splitlines())) > 400}
    assert long == {}


def test_imports_between_make_book_modules_have_no_cycle() -> None:
    known = modules()
    graph = {name: {i for i in imports(path) if i in known and i != name} for name, path in known.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycles.append(" -> ".join([*trail[trail.index(other) :], other]))
            elif other not in state:
                visit(other, [*trail, other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_private_internals_are_used_only_in_pdf_weasyprint() -> None:
    outside = {}
    for name, path in modules().items():
        if path.is_relative_to(INTERNALS):
            continue
        text = path.read_text("utf-8")
        reached = [
            i
            for i in imports(path)
            if (i.startswith(PRIVATE_ONLY) or i in ("pydyf", "cffi", "pyphen")) and not i.startswith(PUBLIC)
        ]
        reached += [attribute for attribute in ("._page_box", ".hdcache", "_harfbuzz", "ffi.") if attribute in text]
        if reached:
            outside[name] = reached
    assert outside == {}

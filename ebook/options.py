"""What a build is asked to do and what it answers: shared by the command line, the build and the
pipeline, so that none of them imports another to name these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ebook.problems import Problem

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    config: Path
    shown_config: str
    out: Path | None = None  # None: check only
    use_cache: bool = True
    environ: dict[str, str] = field(default_factory=dict)
    # The most a run of a big book's body weighs (see write_pdf.py); None: write_pdf.GROUP_WEIGHT.
    pdf_group_weight: int | None = None


@dataclass(frozen=True)
class Result:
    problems: tuple[Problem, ...]
    outputs: tuple[Path, ...] = ()
    cached: bool = False
    pages: int = 0

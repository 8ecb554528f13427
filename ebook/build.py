"""Build a book, or check it: the entry point of the command line and of the tests.

A rebuild with nothing changed is decided from the files alone (up_to_date.py) and imports none
of the pipeline (pipeline.py), which is imported only when there is work: such a rebuild of the
140-entry benchmark book takes 0.1 s, Python's start included.
"""

from __future__ import annotations

import os

from ebook.bookkeeping.up_to_date import input_digests, served
from ebook.options import Options, Progress, Result
from ebook.pdf.workers import Workers


def build(options: Options, progress: Progress = lambda stage: None) -> Result:
    if options.out is None:
        from ebook.pipeline import check  # the pipeline is imported only when there is work

        return check(options)
    # The layout process sets up while the files are hashed and the book is read (workers.py);
    # a rebuild with nothing changed stops it at once.
    with Workers() as workers:
        digests = input_digests(options.config) if options.use_cache else {}
        if options.use_cache and (last := served(options, options.out, digests)) is not None:
            outputs, warnings = last
            return Result(warnings, outputs, cached=True)
        from ebook.pipeline import run

        return run(options, options.out, workers, digests, progress)


def environ() -> dict[str, str]:
    """What a build takes from its environment: the date for reproducible builds, where the user's
    cache folder is (hyphenation.py) and where the user's fonts are (installed.py)."""
    names = ("SOURCE_DATE_EPOCH", "XDG_CACHE_HOME", "XDG_DATA_HOME", "HOME")
    return {k: v for k, v in os.environ.items() if k in names}

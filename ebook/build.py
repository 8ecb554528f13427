"""Build a book, or check it: the entry point of the command line and of the tests.

A rebuild with nothing changed is decided from the files alone (up_to_date.py) and imports none
of the pipeline (pipeline.py), which is imported only when there is work: such a rebuild of the
140-entry benchmark book takes 0.1 s, Python's start included.

A build that cannot go on because one of its processes died (killed, out of memory) raises
WorkerDied, whose message is the one line the command prints; whatever WeasyPrint raises on a
document becomes the problem L005. Either way nothing is published: the previous outputs stand.
"""

from __future__ import annotations

import os

from ebook.bookkeeping.up_to_date import input_digests, served
from ebook.options import Options, Progress, Result
from ebook.pdf.weasyprint.registry import SWITCH, wanted
from ebook.pdf.workers import WorkerDied, Workers
from ebook.problems import problem

__all__ = ["WorkerDied", "build", "environ"]


def build(options: Options, progress: Progress = lambda stage: None) -> Result:
    if options.out is None:
        from ebook.pipeline import check  # the pipeline is imported only when there is work

        return check(options)
    # The layout process sets up while the files are hashed and the book is read (workers.py);
    # a rebuild with nothing changed stops it at once.
    try:
        with Workers(wanted(options.environ)) as workers:
            digests = input_digests(options.config) if options.use_cache else {}
            if options.use_cache and (last := served(options, options.out, digests)) is not None:
                outputs, warnings = last
                return Result(warnings, outputs, cached=True)
            from ebook.pipeline import run

            return run(options, options.out, workers, digests, progress)
    except Exception as error:  # named here only, so that an unchanged rebuild imports neither module
        from concurrent.futures.process import BrokenProcessPool

        from ebook.pdf.document import LayoutError

        if isinstance(error, LayoutError):
            return Result((problem(options.shown_config, 0, 0, "L005", str(error)),))
        if isinstance(error, BrokenProcessPool):  # the pool cannot tell how its process ended
            raise WorkerDied("a picture process ended unexpectedly, perhaps out of memory") from None
        raise


def environ() -> dict[str, str]:
    """What a build takes from its environment: the date for reproducible builds, where the user's
    cache folder is (hyphenation.py), where the user's fonts are (fingerprints.py), and whether
    WeasyPrint is used as it ships (weasyprint/registry.py)."""
    names = ("SOURCE_DATE_EPOCH", "XDG_CACHE_HOME", "XDG_DATA_HOME", "HOME", SWITCH)
    return {k: v for k, v in os.environ.items() if k in names}

"""Importing WeasyPrint in the layout process, before the children that share it are forked.

WeasyPrint tries up to six names for each library it loads (those of Linux, macOS and Windows),
and cffi asks ctypes.util.find_library about every name it cannot open as given. On Linux each
question runs ldconfig, then gcc and ld for a name ldconfig does not know: 22 questions and about
40 programs started, 0.19 s of the import's 0.45 s. With the patch "libraries_found_in_linker_cache"
(registry.py) they are answered from one reading of the linker's cache, as ldconfig's step answers
them, and a name not in it is not looked for further. A library installed outside that cache
(found through LD_LIBRARY_PATH) is then not found: the import is done again as WeasyPrint does it.
Upstream: https://github.com/Kozea/WeasyPrint/issues/1125, https://github.com/Kozea/WeasyPrint/issues/2073.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator


def import_weasyprint(patches: tuple[str, ...]) -> None:
    """WeasyPrint imported, with its installation help (printed when a library is missing) not shown."""
    with contextlib.redirect_stdout(io.StringIO()):
        if "libraries_found_in_linker_cache" in patches:
            try:
                with _found_in_linker_cache():
                    import weasyprint
                return
            except OSError:
                pass  # a library outside the linker's cache: as WeasyPrint does it
        import weasyprint  # noqa: F401


@contextlib.contextmanager
def _found_in_linker_cache() -> Iterator[None]:
    import ctypes.util
    import re
    import subprocess

    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, env={"LC_ALL": "C", "LANG": "C"}, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        listing = b""

    def from_linker_cache(name: str) -> str | None:
        found = re.search(rb"\s(lib%s\.[^\s]+)\s+\(" % re.escape(name.encode()), listing)
        return found[1].decode() if found else None

    find_library = ctypes.util.find_library
    ctypes.util.find_library = from_linker_cache
    try:
        yield
    finally:
        ctypes.util.find_library = find_library

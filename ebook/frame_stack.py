"""Room on Python's frame stack for the deep calls of a layout, made once for the whole process.

CPython (3.11 and 3.12) keeps the frames of Python calls in chunks of 16 KB and frees a chunk as
soon as the last frame in it returns. A loop that calls a function from a frame lying near the end
of a chunk therefore maps and unmaps a fresh chunk at every call
(https://github.com/python/cpython/issues/142183; 3.13 and 3.14 now keep one chunk in reserve).
WeasyPrint lays a book out by deep recursion with loops at the bottom of it: laying out one run of
the 140-entry benchmark book made 19,000 mmap and as many munmap calls, each new chunk a page fault
too, 5 to 9 % of the run's time.

A frame that does not fit in the current chunk gets a chunk of its own, 16 KB doubled until it
holds the frame and 1,000 slots more. `call_with_room` calls through a function whose frame claims
just over half a MiB, so the chunk it gets is 1 MiB, and the half the frame does not use, about
520 KB, holds every call beneath it without another chunk: thousands of frames, more than a layout
nests. The frame's unused evaluation stack is address space only: CPython writes a frame's stack
as it pushes onto it, so those pages are never touched. A call deeper still takes chunks as before.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# 8-byte slots: with the 1,000 slots CPython adds, just over 512 KiB, so the chunk is 1 MiB
STACK_SLOTS = 65_600


def _call(function: Callable[[], T]) -> T:
    return function()


_call_with_room = types.FunctionType(_call.__code__.replace(co_stacksize=STACK_SLOTS), {}, "call_with_room")


def call_with_room(function: Callable[[], T]) -> T:
    """function(), with its calls and theirs in one chunk of Python's frame stack."""
    result: T = _call_with_room(function)
    return result

"""Room on Python's frame stack (ebook/frame_stack.py): calls that go deep and loop there map no
new chunk of the stack at each call. Each chunk CPython maps afresh is touched, so it shows as a
page fault: the probe counts them."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from ebook.frame_stack import call_with_room

DEPTH, TIMES = 300, 2_000  # 300 small frames span more than one 16 KB chunk


def _down(depth: int) -> int:
    return 0 if depth == 0 else _down(depth - 1) + 1


def _page_faults_of_deep_calls() -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(TIMES):
        assert _down(DEPTH) == DEPTH
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_deep_calls_in_the_room_take_no_new_chunk() -> None:
    assert call_with_room(_page_faults_of_deep_calls) < TIMES // 10


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="CPython 3.13 keeps a chunk in reserve (issue 142183)")
def test_the_probe_sees_chunks_mapped_at_every_call_without_the_room() -> None:
    assert _page_faults_of_deep_calls() >= TIMES


def test_results_and_exceptions_pass_through_and_deeper_calls_still_work() -> None:
    assert call_with_room(lambda: _down(5_000 if sys.getrecursionlimit() > 6_000 else 900)) in (5_000, 900)
    empty: dict[str, int] = {}
    with pytest.raises(KeyError):
        call_with_room(lambda: empty["missing"])


def test_the_command_runs_in_the_room(tmp_path: Path) -> None:
    """entry() calls main through call_with_room, so the build and every process it forks do."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import ebook.cli, test_frame_stack as t\n"
        "ebook.cli.main = lambda: print(t._page_faults_of_deep_calls()) or 0\n"
        "ebook.cli.entry()\n"
    )
    done = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, check=True)
    assert int(done.stdout) < TIMES // 10

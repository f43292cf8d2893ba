"""Work spread over worker processes (core/parallel.py): the workers below the parent in priority
on an idle machine (the parent's own work is the longest path), at the same priority on a busy one."""
from __future__ import annotations

import os

import pytest

from gongkai.core import parallel


def _niceness(_) -> int:
    return os.nice(0)


@pytest.mark.parametrize("load, raised", [(0.2, True), (1.4, True), (1.6, False), (5.0, False)])
def test_workers_run_below_the_parent_only_on_an_idle_machine(monkeypatch, load, raised):
    monkeypatch.setattr(parallel, "worker_count", lambda tasks, minimum: 2)  # whatever threads earlier tests left
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    parent = os.nice(0)
    finish = parallel.start_map(_niceness, list(range(8)), 1)
    assert finish() == [min(parent + parallel.WORKER_NICENESS, 19) if raised else parent] * 8


def test_few_tasks_stay_in_the_calling_process():
    finish = parallel.start_map(_niceness, [0, 1], 48)
    assert finish() == [os.nice(0)] * 2


def _private_kb() -> int:
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        return sum(int(line.split()[1]) for line in rollup if line.startswith(("Private_Dirty:", "Private_Clean:")))


def _copied_by_collection(fork) -> int:
    """KB a full collection in the forked child makes private (copied from the parent)."""
    shared = [{"n": i, "s": str(i)} for i in range(300_000)]  # ~20 MB of dicts the collector walks
    read, write = os.pipe()
    pid = fork()
    if pid == 0:  # child: collect, report, leave without any clean-up
        before = _private_kb()
        import gc
        gc.collect()
        os.write(write, str(_private_kb() - before).encode())
        os._exit(0)
    os.close(write)
    copied = int(os.read(read, 64))
    os.waitpid(pid, 0)
    os.close(read)
    del shared
    return copied


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps_rollup"), reason="Linux only")
def test_a_build_process_does_not_copy_the_parents_objects_when_it_collects():
    import gc

    try:
        plain = _copied_by_collection(os.fork)
        frozen = _copied_by_collection(parallel.fork_build_process)
        assert gc.get_freeze_count() > 0
        assert plain > 4_000 and frozen < plain / 10, (plain, frozen)  # KB
    finally:
        gc.unfreeze()


def test_workers_keep_what_a_build_process_froze(monkeypatch):
    import gc

    monkeypatch.setattr(parallel, "worker_count", lambda tasks, minimum: 2)
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        assert len(parallel.start_map(_niceness, list(range(8)), 1)()) == 8
        # start_map unfreezes only what it froze: an unfreeze would empty the permanent generation. (Not
        # `>= count`: a frozen object that dies while the workers run leaves it, so the count may drop a little.)
        assert gc.get_freeze_count() > count * 0.9
    finally:
        gc.unfreeze()


def test_a_build_forks_only_while_its_memory_allows(monkeypatch):
    """Each forked process may come to copy the parent: the parent's size times the processes (running,
    and the new one) must fit GONGKAI_MEMORY_MB. Here the budget fits two processes, not three."""
    import gc
    import signal

    monkeypatch.setenv(parallel.MEMORY_ENV, str(int(parallel._resident() / 2**20 * parallel.GROWTH * 2.5)))
    assert parallel.memory_allows_fork()
    pid = parallel.fork_build_process()
    if pid == 0:
        signal.pause()
        os._exit(0)
    try:
        assert not parallel.memory_allows_fork()  # a third process would not fit
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        gc.unfreeze()
    assert parallel.memory_allows_fork()  # the forked process is gone
    monkeypatch.setenv(parallel.MEMORY_ENV, "1")
    assert not parallel.memory_allows_fork()

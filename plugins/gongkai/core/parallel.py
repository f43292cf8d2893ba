"""Work spread over the machine's cores, only when there is enough of it to pay for the workers.

A pre-commit hook on 50 items must not start processes; a cold check of 10,000 items
with 1,300 attachments gains from two. Workers are forked (they share what the parent
has imported), and only from a process with no other threads running: forking a
threaded process (the preview's server) can copy a held lock into the child.
GONGKAI_WORKERS=1 turns this off (to compare, or to debug).

Within `shared_workers()` (load_state), every start_map uses the pool the first one worth
it started, one after another, so that a command forks its workers once (a second pool
would fork a process that has the first pool's thread).
"""
from __future__ import annotations

import contextlib
import gc
import os
import threading
from multiprocessing import get_all_start_methods, get_context

WORKERS_ENV = "GONGKAI_WORKERS"
WORKER_NICENESS = 5  # on an idle machine: the caller works meanwhile and waits for the results last, so it goes first


class _Shared:
    depth = 0  # nesting of shared_workers()
    pool = None
    workers = 0


def worker_count(tasks: int, minimum: int) -> int:
    """How many processes to use for `tasks` jobs; 0 when not worth it (or not safe)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    cores = min(cores, int(os.environ.get(WORKERS_ENV) or cores), 4)
    if tasks < minimum or cores < 2 or threading.active_count() > 1 or "fork" not in get_all_start_methods():
        return 0
    return cores


@contextlib.contextmanager
def shared_workers():
    """start_map calls within share one pool, shut down on leaving."""
    _Shared.depth += 1
    try:
        yield
    finally:
        _Shared.depth -= 1
        if _Shared.depth == 0 and _Shared.pool is not None:
            pool, _Shared.pool = _Shared.pool, None
            pool.shutdown()


def _niceness(workers: int) -> int:
    """WORKER_NICENESS while the machine has a core free for the caller besides the workers, else 0.

    Measured at 10,000 items on 2 cores, cold check: idle, workers at +5 were 0.3–0.7 s faster in
    each of 10 alternating runs (the caller's own reading and checking is the longest path); with
    other work running (load 5–6), +5 made it about a quarter slower (median 8.4 s against 6.6 s,
    6 pairs): the workers then get a third of a fair share, and the caller waits for them."""
    try:
        busy = os.getloadavg()[0]
    except OSError:
        return 0
    return WORKER_NICENESS if busy < workers - 0.5 else 0


def _lower_priority(niceness: int) -> None:
    """In each worker."""
    try:
        if niceness:
            os.nice(niceness)
    except OSError:
        pass


def start_map(func, args: list, minimum: int):
    """[func(a) for a in args], in worker processes when there are at least `minimum` of them,
    begun now so that the caller can work meanwhile; returns the function that waits for the
    results. Without workers, the work is done when that is called."""
    pool, workers = _Shared.pool, _Shared.workers
    if pool is None:
        workers = worker_count(len(args), minimum)
    if not workers or len(args) < minimum:
        return lambda: [func(a) for a in args]
    if pool is None:
        from concurrent.futures import ProcessPoolExecutor  # only when used: ~10 ms of start-up

        pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_lower_priority, initargs=(_niceness(workers),))
        if _Shared.depth:
            _Shared.pool, _Shared.workers = pool, workers
    chunk = max(1, len(args) // (workers * 8))  # a few chunks per worker: even load, little overhead
    frozen = gc.get_freeze_count() > 0  # by fork_build_process: stays so
    gc.freeze()  # the workers' collections leave alone (and so do not copy) the objects they inherit
    try:
        results = pool.map(func, args, chunksize=chunk)  # a new pool forks its workers before it starts its thread
    finally:
        if not frozen:
            gc.unfreeze()

    def finish() -> list:
        try:
            return list(results)
        finally:
            if pool is not _Shared.pool:
                pool.shutdown()
    return finish


def fork_build_process() -> int:
    """os.fork() for a second process of a build, with every object so far frozen first.

    A full garbage collection walks every object it tracks and so writes to them: after a fork
    that copies each shared memory page into the process that collects, in both processes. The
    frozen objects (the loaded items, the plan, MkDocs' pages) it leaves alone, which also saves
    the walking. They are never collected, so only commands that end with the build use this.
    """
    gc.freeze()
    pid = os.fork()
    if pid:
        _FORKED.add(pid)
    return pid


_FORKED: set[int] = set()  # the build's forked processes, until they are gone


MEMORY_ENV = "GONGKAI_MEMORY_MB"
DEFAULT_MEMORY_MB = 2048  # issue 12: a build of 100,000 items stays within 2 GB
GROWTH = 1.25  # measured at 100,000 items: 1.0 GB when the compliance check forked, 1.27 GB while it ran


def memory_allows_fork() -> bool:
    """Whether the build may fork one more process within its memory (GONGKAI_MEMORY_MB, 2 GB).

    A forked process shares the parent's memory only until either writes to it, and reference
    counting writes to every object each one reads: over a build a forked process comes to copy
    much of what it shares. So this process's size, counted once more for each forked process still
    running and for the new one, must fit, with room for this process to grow after the fork (MkDocs'
    files and pages: a quarter more at 100,000 items). A build of 10,000 items forks; one of 100,000
    renders and checks in one process, slower, rather than use twice the memory (docs/benchmark.md)."""
    resident = _resident()
    return resident is None or resident * GROWTH * (len(_running(_FORKED)) + 2) <= _budget()


def memory_allows(more: int) -> bool:
    """Whether this process's size and `more` bytes (a helper program's) fit GONGKAI_MEMORY_MB."""
    resident = _resident()
    return resident is None or resident + more <= _budget()


def _budget() -> int:
    try:
        return int(os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY_MB) * 2**20
    except ValueError:
        return DEFAULT_MEMORY_MB * 2**20


def _resident() -> int | None:
    """This process's resident size in bytes; None when unknown (not Linux, no /proc): then the
    cores alone decide (worker_count)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _running(pids: set[int]) -> set[int]:
    """The forked processes not yet waited for (a finished one not yet waited for still counts)."""
    for pid in list(pids):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            pids.discard(pid)
        except PermissionError:
            pass
    return pids

"""Work spread over the machine's cores, only when there is enough of it to pay for the workers.

A pre-commit hook on 50 items must not start processes; a cold check of 10,000 items
with 1,300 attachments gains from two. Workers are forked (they share what the parent
has imported), and only from a process with no other threads running: forking a
threaded process (the preview's server) can copy a held lock into the child.
GONGKAI_WORKERS=1 turns this off (to compare, or to debug).
"""
from __future__ import annotations

import os
import threading
from multiprocessing import get_all_start_methods, get_context

WORKERS_ENV = "GONGKAI_WORKERS"


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


def start_map(func, args: list, minimum: int):
    """[func(a) for a in args], in worker processes when there are at least `minimum` of them,
    begun now so that the caller can work meanwhile; returns the function that waits for the
    results. Without workers, the work is done when that is called."""
    workers = worker_count(len(args), minimum)
    if not workers:
        return lambda: [func(a) for a in args]
    from concurrent.futures import ProcessPoolExecutor  # only when used: ~10 ms of start-up

    chunk = max(1, len(args) // (workers * 8))  # a few chunks per worker: even load, little overhead
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"))
    results = pool.map(func, args, chunksize=chunk)  # forks the workers before the pool starts its thread

    def finish() -> list:
        try:
            return list(results)
        finally:
            pool.shutdown()
    return finish

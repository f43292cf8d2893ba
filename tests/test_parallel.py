"""Work spread over worker processes (core/parallel.py): the same results, and the workers below
the parent in priority, so that the parent's own work (the longest path) is not slowed."""
from __future__ import annotations

import os

from gongkai.core import parallel


def _niceness(_) -> int:
    return os.nice(0)


def test_workers_run_below_the_parent_in_priority(monkeypatch):
    monkeypatch.setattr(parallel, "worker_count", lambda tasks, minimum: 2)  # whatever threads earlier tests left
    parent = os.nice(0)
    finish = parallel.start_map(_niceness, list(range(8)), 1)
    assert finish() == [min(parent + parallel.WORKER_NICENESS, 19)] * 8


def test_few_tasks_stay_in_the_calling_process():
    finish = parallel.start_map(_niceness, [0, 1], 48)
    assert finish() == [os.nice(0)] * 2

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

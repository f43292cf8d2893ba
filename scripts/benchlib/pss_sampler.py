"""Sample the real memory of a process tree: python -m benchlib.pss_sampler PID OUT_FILE

Every 0.2 s, the sum of the proportional set size (shared pages split between the processes
that share them) of PID and all its descendants, this sampler excepted; the largest sum so far,
in kB, is kept in OUT_FILE. Runs until PID ends. A separate process, so the measured build
keeps a single thread (gongkai forks its workers only from a single-threaded process).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = []
        try:  # each thread's own children: the build starts Pagefind from its indexing thread
            for task in Path(f"/proc/{parent}/task").iterdir():
                children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        found += children
        todo += children
    return found


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def main() -> int:
    pid, out = int(sys.argv[1]), Path(sys.argv[2])
    me, peak = os.getpid(), 0
    while Path(f"/proc/{pid}").exists():
        total = sum(pss_kb(p) for p in [pid, *descendants(pid)] if p != me)
        if total > peak:
            peak = total
            out.write_text(str(peak))
        time.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

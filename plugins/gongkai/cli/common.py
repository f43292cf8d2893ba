"""What every command shares: load the project, or explain in Chinese why it cannot be loaded."""
from __future__ import annotations

import sys
from pathlib import Path

from gongkai.core.problems import ProjectError
from gongkai.project import load_state


def load_or_exit(root: Path, today=None):
    try:
        return load_state(root, today=today)
    except ProjectError as exc:
        print("catalog.yml 有错误：", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        raise SystemExit(2)

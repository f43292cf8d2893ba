"""Temporary folders a command writes beside their final place, and the ones a killed command left.

Each carries a marker (pid, host, start time), so that a later command removes the folders a
killed one left behind, and never another running command's, nor anything gongkai did not make.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

MARKER = ".gongkai-staging"  # in every such folder: who made it, when
STALE_AFTER = 24 * 3600  # seconds; no command takes this long, whatever its pid says


def marked_folder(parent: Path, prefix: str) -> Path:
    """A fresh folder parent/<prefix>…, with the marker; raises OSError."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    (folder / MARKER).write_text(json.dumps(owner), encoding="utf-8")
    return folder


def remove_stale(parent: Path, prefix: str) -> list[Path]:
    """Remove the marked folders parent/<prefix>… whose command is gone; return them."""
    removed = []
    for folder in parent.glob(f"{prefix}*"):
        if folder.is_dir() and _is_stale(folder / MARKER):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _is_stale(marker: Path) -> bool:
    try:
        owner = json.loads(marker.read_text(encoding="utf-8"))
        pid, host, started = int(owner["pid"]), str(owner["host"]), float(owner["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return False  # not one of ours (or not readable): leave it
    if time.time() - started > STALE_AFTER:
        return True
    return host == socket.gethostname() and pid != os.getpid() and not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

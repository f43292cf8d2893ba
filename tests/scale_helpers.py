"""Fixtures for the scale tests: a small synthetic bureau from scripts/benchlib."""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from benchlib.generate import generate  # noqa: E402

__all__ = ["REPO", "generate"]

"""Helpers for scripts/bench: a synthetic bureau generator and the measurements."""

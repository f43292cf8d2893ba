"""What a signature is over: one plain-text statement per sign-off, per roster version.

A sign-off names the item's 索引号 and content digest, so a signature copied onto another
item (or onto changed content) does not verify. The text is readable, so anyone can check a
sign-off with `ssh-keygen -Y verify -n gongkai-signoff` on the statement docs/review-workflow.md shows.
"""
from __future__ import annotations

SIGNOFF_NAMESPACE = "gongkai-signoff"
ROSTER_NAMESPACE = "gongkai-roster"


def signoff_statement(index_number: str, digest: str, decision: str, date: str, reviewer: str, fingerprint: str) -> bytes:
    lines = ["gongkai-signoff-v1", f"id: {index_number}", f"digest: {digest}", f"decision: {decision}", f"date: {date}", f"reviewer: {reviewer}", f"key: {fingerprint}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def roster_statement(version: int, digest: str) -> bytes:
    return f"gongkai-roster-v1\nversion: {version}\ndigest: {digest}\n".encode("utf-8")

"""Where things live on the public site: directory-style URLs of items, columns and topics.

The 索引号 (or slug) decides an item's address; every part of the product that links
to an item asks here.
"""
from __future__ import annotations

import posixpath

from gongkai.core.catalog import Column
from gongkai.core.items import Item


def item_dir(item: Item) -> str:
    slug = item.meta.get("slug")
    return f"item/{slug if isinstance(slug, str) else item.id_key}"


def column_dir(column: Column) -> str:
    return f"column/{column.code}"


def topic_dir(code: str) -> str:
    return f"topic/{code}"


def link(target_dir: str, from_dir: str) -> str:
    """Relative URL from one directory-style page to another."""
    rel = _relpath(target_dir or ".", from_dir or ".")
    return "./" if rel == "." else rel + "/"


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for plain relative paths, without its getcwd/abspath calls.

    link() runs ~120,000 times at 10,000 items; posixpath.relpath made it a third of planning.
    Anything unusual (absolute, '..', empty parts) still goes through posixpath.relpath.
    """
    t, s = target.split("/"), start.split("/")
    if "." in target or "." in start or "//" in target or "//" in start or not target or not start:  # the rare cases
        if target.startswith("/") or start.startswith("/") or "" in t or "" in s or ".." in t or ".." in s:
            return posixpath.relpath(target, start)
        t = [p for p in t if p != "."]
        s = [p for p in s if p != "."]
    elif target[:1] == "/" or start[:1] == "/" or target[-1:] == "/" or start[-1:] == "/":
        return posixpath.relpath(target, start)
    i = 0
    while i < len(t) and i < len(s) and t[i] == s[i]:
        i += 1
    return "/".join([".."] * (len(s) - i) + t[i:]) or "."

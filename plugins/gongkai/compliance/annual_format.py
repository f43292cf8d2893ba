"""The national annual-report format (annual_format.yml): applicant columns, outcome rows, tables."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

FORMAT_PATH = Path(__file__).with_name("annual_format.yml")


@dataclass(frozen=True)
class OutcomeRow:
    key: str  # "" for a group heading
    row: str  # the row's label in table 三
    children: tuple["OutcomeRow", ...] = ()


@lru_cache(maxsize=1)
def raw_format() -> dict:
    return yaml.safe_load(FORMAT_PATH.read_text(encoding="utf-8"))


def applicants() -> list[str]:
    return [a["key"] for a in raw_format()["applicants"]]


def applicant_groups() -> list[tuple[str, list[str]]]:
    """[(group, [applicant keys])] in column order."""
    groups: list[tuple[str, list[str]]] = []
    for a in raw_format()["applicants"]:
        if groups and groups[-1][0] == a["group"]:
            groups[-1][1].append(a["key"])
        else:
            groups.append((a["group"], [a["key"]]))
    return groups


def outcome_rows() -> list[OutcomeRow]:
    def build(node) -> OutcomeRow:
        return OutcomeRow(str(node.get("key", "")), str(node["row"]), tuple(build(c) for c in node.get("children") or ()))

    return [build(n) for n in raw_format()["outcomes"]]


def outcome_keys() -> list[str]:
    """Every leaf key, in table order: the values a register's `outcome` may take."""
    keys: list[str] = []
    for row in outcome_rows():
        keys += [c.key for c in row.children] if row.children else [row.key]
    return keys

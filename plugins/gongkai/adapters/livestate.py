"""A State kept current by re-reading only what changed: the core of the editor preview.

    live = LiveState(root)       # one full load
    changed = live.refresh()     # cheap when nothing changed; re-reads edited files only

refresh() yields exactly what load_state() would return for the files now on disk
(the tests compare the two), but at 10,000 items it re-parses and re-checks one edited
item instead of 10,000: per-item problems (schema rules, sensitive-data scan with its
attachment parsing) are cached per parsed item; the rules across items, the gate and
the backdating check run again over all items, in load_state's order. Editing
catalog.yml reloads everything.
"""
from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from gongkai.review.gate import Decision, decide
from gongkai.review.history import check_backdating
from gongkai.core.catalog import load_catalog
from gongkai.core.items import Item, as_date, parse_item, relative_paths
from gongkai.core.problems import Problem
from gongkai.review.body_html import body_problems
from gongkai.project import CATALOG_FILE, CONTENT_DIR, State, build_date, load_roster
from gongkai.review.signing.cache import VerifiedCache
from gongkai.review.signing.signoff import SignoffCheck
from gongkai.core.schema import Validator, across_items, in_file_order
from gongkai.review.sensitive import Scanner, is_scanned, load_config as load_scan_config, prefetch_attachments, scan_item, scan_items

Stamp = tuple[int, int]  # (mtime_ns, size)


def scan(content_dir: Path) -> dict[str, Stamp]:
    """Every file under content/ (its path as a string: no Path objects for 10,000 files) with its
    modification stamp (os.scandir: ~0.1 s for 10,000 items)."""
    out: dict[str, Stamp] = {}
    stack = [str(content_dir)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=True):
                stack.append(entry.path)
            elif entry.is_file(follow_symlinks=True):
                st = entry.stat()
                out[entry.path] = (st.st_mtime_ns, st.st_size)
    return out


def _is_item(path: str) -> bool:
    """Path(path).suffix == ".md", for a path string."""
    name = path.rpartition("/")[2]
    return name.endswith(".md") and len(name) > 3


class LiveState:
    def __init__(self, root: Path, today=None, content_dir: Path | None = None):
        self.root = root.resolve()
        self.today = today
        self.content_dir = content_dir or self.root / CONTENT_DIR  # same form as the State's item paths
        self._load()

    def _load(self) -> None:
        """Load every item through the per-item caches (as a refresh in which every file is new:
        what load_state() returns, with the caches filled on the way)."""
        catalog = load_catalog(self.root / CATALOG_FILE, self.root)
        self.validator = Validator(catalog)
        self.catalog_stamp = self._catalog_stamp()
        self.own: dict[str, tuple[Item, list[Problem]]] = {}
        self.scan_config = load_scan_config(catalog, self.root)
        self.scanner = Scanner(self.scan_config.marks)
        today = self.today or build_date()
        # scan_items() on no items: the configuration problems, then one "unused" warning per allow entry.
        _, self.scan_notes = scan_items([], catalog, self.root, today)
        self.scans: dict[str, tuple[Item, list[Problem], set[int]]] = {}
        self.decided: dict[str, tuple[Item, list[Problem], Decision]] = {}
        self.version = getattr(self, "version", 0) + 1
        self.chain = load_roster(self.root)  # roster edits show after a catalog.yml change or restart
        self.cache = VerifiedCache(self.root)
        self.state, self.stamps = State(self.root, catalog, [], {}, [], today), {}
        self.refresh()

    def _catalog_stamp(self):
        try:
            st = (self.root / CATALOG_FILE).stat()
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return None

    def _own_problems(self, item: Item) -> list[Problem]:
        """validate()'s per-item part (parse problems, or schema and rules), cached for as long
        as the parsed item is unchanged."""
        hit = self.own.get(item.rel)
        if hit is None or hit[0] is not item:
            problems = self.validator.own(item)
            problems += body_problems(item, self.root)  # as load_state()
            hit = self.own[item.rel] = (item, problems)
        return hit[1]

    def _scan(self, item: Item) -> tuple[list[Problem], set[int]]:
        """scan_item() for one item, cached for as long as the parsed item is unchanged."""
        hit = self.scans.get(item.rel)
        if hit is None or hit[0] is not item:
            used: set[int] = set()
            hit = (item, scan_item(item, self.scanner, self.scan_config, self.root, self.state.today, used), used)
            self.scans[item.rel] = hit
        return hit[1], hit[2]

    def _is_scanned(self, item: Item) -> bool:
        return is_scanned(item, self.scan_config)

    def refresh(self) -> set[str]:
        """Bring the state up to date; return the project-relative paths of items that changed."""
        if self._catalog_stamp() != self.catalog_stamp:
            before = {i.rel for i in self.state.items}
            self._load()
            return before | {i.rel for i in self.state.items}
        stamps = scan(self.content_dir)
        touched = {p for p in stamps.keys() | self.stamps.keys() if stamps.get(p) != self.stamps.get(p)}
        self.stamps = stamps
        if not touched:
            return set()
        items, changed = self._reparse(stamps, self._affected(touched))
        # The same assembly as load_state(): schema.validate() (own problems, then the rules
        # across items), the sensitive-data scan, the gate, then the backdating check.
        problems = self._validate(items)
        self._add_scan_problems(items, problems)
        for problem in self.chain.problems:
            problems.setdefault(problem.path, []).append(problem)
        self._start_verifying(items)
        decisions = [self._decide(item, problems.get(item.rel, [])) for item in items]
        self.signoffs.finish()
        self.cache.save()
        backdated, notices = check_backdating(self.root, self.state.catalog, decisions)
        for rel, extra in backdated.items():
            problems.setdefault(rel, []).extend(extra)
        changed |= self._newly_decided(decisions)
        state = self.state
        self.state = State(state.root, state.catalog, items, problems, decisions, state.today, notices, self.chain)
        self.version += 1
        return changed

    def _newly_decided(self, decisions: list[Decision]) -> set[str]:
        """Items whose gate decision differs from the current state's."""
        before = {d.item.rel: (d.published, d.reasons) for d in self.state.decisions}
        return {d.item.rel for d in decisions if before.get(d.item.rel) != (d.published, d.reasons)}

    def _affected(self, touched: set[str]) -> set[str]:
        """Item files to re-read: the edited ones, and those whose attachments changed
        (an attachment is part of the digest of items in its folder or above it)."""
        dirs = {Path(p).parent for p in touched if not _is_item(p)}
        affected = {p for p in touched if _is_item(p)}
        if dirs:
            affected |= {str(i.path) for i in self.state.items if any(d == i.path.parent or i.path.parent in d.parents for d in dirs)}
        return affected

    def _reparse(self, stamps: dict[str, Stamp], affected: set[str]) -> tuple[list[Item], set[str]]:
        """The items in discover()'s order (from the scan we already have: no second walk),
        re-parsing the affected ones; and the paths of items added, edited or removed."""
        by_path = {str(item.path): item for item in self.state.items}
        # sorted as Path objects sort (by part), without making them
        paths = sorted((p for p in stamps if _is_item(p) and not p.rpartition("/")[2].startswith(".")), key=lambda p: p.split("/"))
        new = [p for p in paths if p not in by_path or p in affected]
        new_paths = [Path(p) for p in new]
        limit = self.state.catalog.limits.get("front_matter")
        by_path.update((p, parse_item(path, self.root, rel=rel, max_front_matter=limit)) for p, path, rel in zip(new, new_paths, relative_paths(new_paths, self.root)))
        items = [by_path[p] for p in paths]
        changed = {by_path[p].rel for p in new}
        kept = {i.rel for i in items}
        for item in self.state.items:
            if item.rel not in kept:
                changed.add(item.rel)
                self.own.pop(item.rel, None)
                self.scans.pop(item.rel, None)
                self.decided.pop(item.rel, None)
        return items, changed

    def _validate(self, items: list[Item]) -> dict[str, list[Problem]]:
        """schema.validate(): each item's own problems (cached), then the rules across items."""
        found: dict[str, list[Problem]] = defaultdict(list)
        for item in items:
            found[item.rel].extend(self._own_problems(item))
        for problem in across_items(items, self.state.catalog):
            found[problem.path].append(problem)
        return in_file_order(found)

    def _add_scan_problems(self, items: list[Item], problems: dict[str, list[Problem]]) -> None:
        """scan_items(): the hits of each scanned item (cached), then the configuration notes
        and the allow-list entries that matched nothing."""
        used: set[int] = set()
        prefetch_attachments([i for i in items if self._is_scanned(i) and self.scans.get(i.rel, (None,))[0] is not i], self.root)
        for item in filter(self._is_scanned, items):
            hits, item_used = self._scan(item)
            used |= item_used
            if hits:
                problems.setdefault(item.rel, []).extend(hits)
        n = len(self.scan_config.problems)
        notes = self.scan_notes[:n] + [p for i, p in enumerate(self.scan_notes[n:]) if i not in used]
        if notes:
            problems.setdefault(CATALOG_FILE, []).extend(notes)

    def _start_verifying(self, items: list[Item]) -> None:
        """A SignoffCheck for this refresh, with the signatures of items not decided before being
        verified meanwhile (in worker processes when there are many, as load_state does) unless
        this machine's cache vouches for them: a restart verifies only what changed."""
        self.signoffs = SignoffCheck(self.chain, items, self.cache)
        fresh = [item for item in items if item.review and self.decided.get(item.rel, (None,))[0] is not item]
        if fresh:
            self.signoffs.start_verifying([(item, as_date(item.review.get("date"))) for item in fresh])

    def _decide(self, item: Item, problems: list[Problem]) -> Decision:
        """gate.decide(), reused while the item and its problems are unchanged: it computes
        the item's digest, a third of a refresh at 10,000 items."""
        hit = self.decided.get(item.rel)
        if hit is not None and hit[0] is item and hit[1] == problems:
            return hit[2]
        decision = decide(item, self.state.catalog, problems, self.state.today, self.signoffs)
        self.decided[item.rel] = (item, list(problems), decision)  # a copy: the backdating check extends the list
        return decision

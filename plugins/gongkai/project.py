"""The pipeline every front end shares: load, validate, decide what is published.

    state = load_state(root)      # catalog + items + problems + gate decisions

The MkDocs plugin, the command line and the reports all start from here.
"""
from __future__ import annotations

import contextlib
import gc
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gongkai.core.catalog import Catalog, load_catalog
from gongkai.review.gate import Decision, decide
from gongkai.review.history import check_backdating
from gongkai.core.items import Item, as_date, load_items
from gongkai.core.parallel import shared_workers
from gongkai.core.problems import Problem
from gongkai.core.schema import validate
from gongkai.review.attachment_text import start_prefetch_under
from gongkai.review.body_html import body_problems
from gongkai.review.sensitive import scan_items
from gongkai.review.signing.roster import REQUIRE_ROOT_ENV, RosterChain, load_chain
from gongkai.review.signing.cache import VerifiedCache
from gongkai.review.signing.signoff import SignoffCheck

CATALOG_FILE = "catalog.yml"
CONTENT_DIR = "content"
BUILD_DATE_ENV = "GONGKAI_BUILD_DATE"


def build_date() -> date:
    """Today, unless GONGKAI_BUILD_DATE=YYYY-MM-DD pins it (reproducible builds, tests)."""
    pinned = os.environ.get(BUILD_DATE_ENV)
    return date.fromisoformat(pinned) if pinned else date.today()


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest directory holding catalog.yml."""
    here = (start or Path.cwd()).resolve()
    for candidate in [here, *here.parents]:
        if (candidate / CATALOG_FILE).is_file():
            return candidate
    return here


@dataclass
class State:
    root: Path
    catalog: Catalog
    items: list[Item]
    problems: dict[str, list[Problem]]  # item path -> problems
    decisions: list[Decision]
    today: date
    notices: list[str] = field(default_factory=list)  # checks that could not run here, said once
    roster: RosterChain | None = None  # the reviewers' keys in effect and the root of trust

    @property
    def all_problems(self) -> list[Problem]:
        """Sorted by file and line, as an editor goes through them."""
        return sorted((p for ps in self.problems.values() for p in ps), key=lambda p: (p.path, p.line or 0))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.all_problems if p.severity == "error"]

    @property
    def published(self) -> list[Item]:
        return [d.item for d in self.decisions if d.published]

    @property
    def withheld(self) -> list[Decision]:
        return [d for d in self.decisions if not d.published]


def load_state(root: Path, today: date | None = None, content_dir: Path | None = None) -> State:
    root = root.resolve()
    today = today or build_date()
    catalog = load_catalog(root / CATALOG_FILE, root)
    content_dir = content_dir or root / CONTENT_DIR
    with shared_workers():  # one pool of worker processes for the attachments' text and the signatures
        extracted = start_prefetch_under(content_dir, root)  # attachments' text, in worker processes meanwhile
        with collection_paused():
            items = load_items(content_dir, root, catalog.limits.get("front_matter"))
            chain, cache = load_roster(root), VerifiedCache(root)
            signoffs = SignoffCheck(chain, items, cache)
            signoffs.start_verifying([(item, as_date(item.review.get("date"))) for item in items])  # after the text, meanwhile
            problems = validate(items, catalog)
            for item in items:  # bodies outside the HTML allow-list: errors, so withheld and not signable
                if found := body_problems(item, root):
                    problems.setdefault(item.rel, []).extend(found)
            extracted()
            hits, config_problems = scan_items(items, catalog, root, today)  # sensitive data blocks publication
            for rel, found in [*hits.items(), *([(CATALOG_FILE, config_problems)] if config_problems else [])]:
                problems.setdefault(rel, []).extend(found)
            for problem in chain.problems:
                problems.setdefault(problem.path, []).append(problem)
            decisions = [decide(item, catalog, problems.get(item.rel, []), today, signoffs) for item in items]
    cache.save()
    backdated, notices = check_backdating(root, catalog, decisions)
    for rel, found in backdated.items():
        problems.setdefault(rel, []).extend(found)
    return State(root, catalog, items, problems, decisions, today, notices, chain)


@contextlib.contextmanager
def collection_paused():
    """No cyclic garbage collection meanwhile. Loading 10,000 items makes millions of objects and
    next to no cycles, and each full collection walks all of them: ~8% of a cold check's CPU."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what was made meanwhile goes to the oldest generation at once, not through a
        gc.unfreeze()  # collection of the youngest that walks all of it (still collectable later)
        if enabled:
            gc.enable()


def load_roster(root: Path) -> RosterChain:
    """The roster chain; GONGKAI_REQUIRE_TRUST_ROOT=1 (`--require-trust-root`) makes a missing root an error."""
    return load_chain(root, require_root=os.environ.get(REQUIRE_ROOT_ENV) == "1")

"""The editor preview: `gongkai preview`, a local server that renders pages on request.

`mkdocs serve` rebuilds all pages on every save: about a minute at 10,000 items.
Here MkDocs is set up once (config, theme, navigation, static files), no page is
rendered up front, and each page is rendered through MkDocs' own page pipeline when
the browser asks for it. A watcher re-reads only changed files (LiveState), re-plans
the site and marks the pages whose source changed; open browser tabs reload
themselves. Items the gate withholds (unsigned drafts, edited since sign-off) are
shown too, each with a banner saying it will not be published and why, so that an
editor can see a draft; items with errors are not (the console lists the errors).
Search is not indexed in the preview (the search page says so). `gongkai build`,
with its default-deny gate, remains the only way to produce the public site.

This is part of the MkDocs adapter: it uses MkDocs' page-building functions
(mkdocs.commands.build._populate_page / _build_page, stable since 1.5).
"""
from __future__ import annotations

import copy
import gc
import logging
import os
import shutil
import threading
import time
from pathlib import Path
from multiprocessing import get_context
from urllib.parse import unquote, urlsplit

from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, get_files
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from gongkai.adapters.livestate import LiveState
from gongkai.adapters.preview_plan import PlanCache, preview_plan, public_plan
from gongkai.core.parallel import worker_count
from gongkai.project import State, collection_paused

log = logging.getLogger("mkdocs.plugins.gongkai")


class PreviewSite:
    """MkDocs set up once; pages rendered on demand; kept current by LiveState."""

    def __init__(self, root: Path, site_dir: Path):
        self.root = root
        self.site_dir = site_dir
        logging.getLogger("mkdocs.structure.nav").setLevel(logging.WARNING)  # item pages are not in the nav, by design
        self.lock = threading.RLock()
        self.config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
        self.plugin = self.config.plugins["gongkai"]
        self.plugin.config.search = False  # no Pagefind run in the preview
        self.config.plugins.on_startup(command="serve", dirty=False)
        self.plan_cache = PlanCache()
        self.plugin.load_with = self._load  # the project loaded once, with LiveState's per-item caches filled
        self.plugin.plan_with = lambda state: preview_plan(state, self.plan_cache)
        self.plugin.defer_compliance = True  # checked beside the preview once it is set up (check_compliance_aside)
        with collection_paused():  # millions of objects, next to no cycles (as in load_state)
            self.config = self.config.plugins.on_config(self.config)
            self.plan = self.plugin.plan
            self.files = get_files(self.config)
            self.env = self.config.theme.get_env()
            self.files.add_files_from_theme(self.env, self.config)
            self.files = self.config.plugins.on_files(self.files, config=self.config)
            self.nav = get_navigation(self.files, self.config)
        self.env = self.config.plugins.on_env(self.env, config=self.config, files=self.files)
        self.files.copy_static_files()
        _build_theme_template("404.html", self.env, self.files, self.config, self.nav)
        self.fresh: set[str] = set()  # page URIs whose output on disk matches their source
        self.version = 0
        # What start-up made (10,000 items, their pages, MkDocs' files) lives as long as the preview:
        # kept out of the cyclic collector's full passes, which walked all of it at random saves (~0.5 s).
        gc.freeze()
        self._check_compliance_aside()

    def _load(self, root: Path, content_dir: Path) -> State:
        self.live = LiveState(root, content_dir=content_dir)
        return self.live.state

    def _check_compliance_aside(self) -> None:
        """The compliance check (its report and console summary) without holding up the first page:
        in a forked process, which can use the other core, or where that is not safe, in a thread."""
        state, cache = self.plugin.state, PlanCache(dict(self.plan_cache.items), dict(self.plan_cache.lists))
        checker = copy.copy(self.plugin)  # the preview's own plugin keeps the preview plan

        def check() -> None:
            checker.state, checker.plan = state, public_plan(state, cache)
            try:
                checker.check_compliance(self.config)
            except PluginError as exc:  # strict mode: say so, keep previewing
                log.error(str(exc))
            except KeyboardInterrupt:  # Ctrl+C reaches the forked process too
                pass
        if worker_count(1, 1):  # no other thread yet: forking is safe
            get_context("fork").Process(target=lambda: (os.nice(10), check()), daemon=True).start()  # edits come first
        else:
            threading.Thread(target=check, daemon=True).start()

    # -- rendering --------------------------------------------------------------
    def render(self, uri: str) -> bool:
        """Make sure the page with source `uri` is rendered; False if there is no such page."""
        with self.lock:
            if uri in self.fresh:
                return True
            file = self.files.get_file_from_path(uri)
            if file is None or not file.is_documentation_page():
                return False
            page = file.page or Page(None, file, self.config)
            _populate_page(page, self.config, self.files)
            _build_page(page, self.config, self.files.documentation_pages(), self.nav, self.env)
            self.fresh.add(uri)
            return True

    # -- watching -----------------------------------------------------------------
    def update(self) -> set[str]:
        """Re-read changed files; return the page URIs whose source changed."""
        with self.lock:
            catalog = self.live.state.catalog
            if not self.live.refresh():
                return set()
            old = {p.uri: p for p in self.plan.pages}
            self.plan = preview_plan(self.live.state, self.plan_cache)
            self.plan_cache.forget_all_but(self.live.state.items)
            self.plugin.state, self.plugin.plan = self.live.state, self.plan
            new = {p.uri: p for p in self.plan.pages}
            changed = self._replace_sources(old, new) | self._remove_pages(old.keys() - new.keys())
            self._copy_attachments()
            self.fresh -= changed
            if self.live.state.catalog is not catalog:
                self._apply_catalog()
            self.version += 1
            return changed

    def _apply_catalog(self) -> None:
        """catalog.yml changed: the menu, header and footer on every page are made again from it."""
        self.plugin.apply_catalog(self.config)
        for file in self.files.documentation_pages():
            file.page = None  # get_navigation() would keep the pages with their old menu titles
        self.nav = get_navigation(self.files, self.config)
        self.env.globals["gongkai_nav_cache"].clear()  # item pages' menu HTML (templates/partials/nav.html)
        self.fresh.clear()
        _build_theme_template("404.html", self.env, self.files, self.config, self.nav)

    def _replace_sources(self, old: dict, new: dict) -> set[str]:
        """Register every page that is new or changed; return their URIs (the plugin hands MkDocs the planned page)."""
        changed = {uri for uri, page in new.items() if uri not in old or (old[uri] is not page and old[uri] != page)}
        for uri in changed:
            if self.files.get_file_from_path(uri) is None:
                file = File.generated(self.config, uri, content="")
                self.files.append(file)
                Page(None, file, self.config)
        return changed

    def _remove_pages(self, gone: set[str]) -> set[str]:
        """Withdrawn pages: gone from the preview too."""
        for uri in gone:
            file = self.files.get_file_from_path(uri)
            if file is not None:
                self.files.remove(file)
                shutil.rmtree(Path(file.abs_dest_path).parent, ignore_errors=True)
        return gone

    def _copy_attachments(self) -> None:
        """Copy attachments that are new or newer than the copy in the preview folder."""
        known = {f.src_uri for f in self.files}
        for attachment in self.plan.files:
            dest = self.site_dir / attachment.uri
            if attachment.uri not in known or not dest.exists() or dest.stat().st_mtime < attachment.source.stat().st_mtime:
                if attachment.uri not in known:
                    self.files.append(File.generated(self.config, attachment.uri, abs_src_path=str(attachment.source)))
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(attachment.source, dest)

    def watch(self, interval: float = 2.0, stop: threading.Event | None = None) -> None:
        """Update when the file system says something changed (watchdog, as mkdocs serve uses),
        and every `interval` seconds regardless. Scanning 10,000 files costs ~0.1 s of CPU, so
        the preview does not poll in a tight loop while the editor is typing elsewhere."""
        stop = stop or threading.Event()
        poke = threading.Event()
        observer = self._observe(poke)
        try:
            while not stop.is_set():
                poke.wait(interval)
                if stop.is_set():
                    break
                if poke.is_set():
                    time.sleep(0.05)  # editors save in bursts (write, rename, chmod): take them together
                    poke.clear()
                self._update_and_report()
        finally:
            if observer is not None:
                observer.stop()

    def _observe(self, poke: threading.Event):
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:  # polling alone still works
            return None

        class Poke(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.event_type not in ("opened", "closed_no_write"):
                    poke.set()

        observer = Observer()
        observer.schedule(Poke(), str(self.live.content_dir), recursive=True)
        observer.schedule(Poke(), str(self.root), recursive=False)  # catalog.yml
        observer.daemon = True
        observer.start()
        return observer

    def _update_and_report(self) -> None:
        start, version = time.monotonic(), self.live.version
        try:
            changed = self.update()
        except Exception as exc:  # keep previewing; show what went wrong
            log.error(f"预览更新失败：{exc}")
            return
        if changed or self.live.version != version:  # a new item with errors changes no page, but is news
            for problem in self.live.state.errors:
                log.error(str(problem))
        if changed:
            log.info(f"已更新 {len(changed)} 个页面（{time.monotonic() - start:.2f} 秒）")

    # -- serving ------------------------------------------------------------------
    def uri_for(self, url_path: str) -> str | None:
        path = unquote(urlsplit(url_path).path).lstrip("/")
        if path == "" or path.endswith("/"):
            return f"{path}index.md"
        if path.endswith("/index.html"):
            return path[: -len("index.html")] + "index.md"
        return None

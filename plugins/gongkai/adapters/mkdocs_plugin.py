"""The MkDocs adapter: a thin layer that hands MkDocs the site plan.

All decisions live in the core (project, gate, pages); this module only translates them into MkDocs
events. Moving to another generator means replacing this file. Default deny: every file MkDocs found
under docs_dir (content/) is dropped; only the plan's pages and the published items' attachments are added.
"""
from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from markupsafe import Markup

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from gongkai.adapters.build_compliance import BuildCompliance
from gongkai.adapters.build_log import check_compliance, log_state, write_compliance
from gongkai.adapters.config import GongkaiConfig
from gongkai.adapters.config_guard import refused_settings
from gongkai.adapters.markdown_page import generated_files, planned_files, render_markdown
from gongkai.adapters.render_order import render_order, search_schedule, split_candidates
from gongkai.adapters.site_dir import SiteDirError, check_site_dir, mark_site
from gongkai.adapters.split_render import ELSEWHERE_TEMPLATE, SplitRender
from gongkai.adapters.theme_html import ASSETS, THEME_SCRIPTS, fix_theme_html, unused_theme_file
from gongkai.core.items import forget_front_matter
from gongkai.core.problems import ProjectError, resolve_in
from gongkai.project import State, load_state
from gongkai.review.body_html import sanitize
from gongkai.site.pages import SitePlan, plan_site
from gongkai.site.plan import LazyPage, Page
from gongkai.site.templates import Headings
from gongkai.site.search import BUNDLE_DIR, SearchIndexError, SearchPages, index_site
from gongkai.site.search_doc import search_document
from gongkai.site.search_pipeline import BackgroundIndex
from gongkai.site.sitemeta import fallback_tags, portal, site_images

log = logging.getLogger("mkdocs.plugins.gongkai")
NO_TOC = get_toc([])
PACKAGE_DIR = Path(__file__).parent.parent  # gongkai/: templates/ and assets/


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    state: State | None = None
    plan: SitePlan | None = None
    command: str = "build"
    pending_audit: tuple[Path, Path] | None = None  # (reports dir, site dir), written on success
    pending_compliance: BuildCompliance | None = None  # written on success with the audit
    files: Files | None = None  # MkDocs' files, known from on_nav
    env = None  # the theme's Jinja environment, which renders the planned pages' templates
    _pages: dict[str, Page] = {}
    _pages_of: SitePlan | None = None
    search_pages: SearchPages | None = None  # what Pagefind reads of each searchable page, kept as it is rendered
    split: SplitRender | None = None  # item pages a second process renders
    load_with = None  # the preview's own loading (adapters/livestate.py); None: load_state
    plan_with = None  # the preview's own planning (adapters/preview_plan.py); None: plan_site
    defer_compliance = False  # the preview checks compliance after it has started

    def on_startup(self, *, command, dirty):
        """Every run starts clean: MkDocs keeps one instance of this plugin per process, so what a
        preview set on it (its own loading and planning, which show drafts) must not reach a build."""
        self.command = command
        self.pending_audit = self.pending_compliance = None
        self.load_with = self.plan_with = None
        self.defer_compliance = False

    @event_priority(100)  # before any other plugin or hook sees the config
    def on_config(self, config):
        from gongkai.adapters.reproducible import pin_source_date_epoch

        refused = refused_settings(config, set(ASSETS))
        if refused:
            raise PluginError("mkdocs.yml 有不允许的设置，已停止构建：\n" + "\n".join(refused))
        pin_source_date_epoch()  # sitemap dates follow GONGKAI_BUILD_DATE
        root = Path(config.config_file_path).parent
        try:  # plain `mkdocs build` empties site_dir too: only an earlier site may be there
            if self.command in ("build", "gh-deploy"):
                check_site_dir(root, Path(config.site_dir), Path(config.docs_dir), "site_dir（mkdocs.yml 或 -d）")
        except SiteDirError as exc:
            raise PluginError(str(exc)) from None
        try:
            self.state = (self.load_with or load_state)(root, content_dir=Path(config.docs_dir))
        except ProjectError as exc:
            raise PluginError("catalog.yml 有错误：\n" + "\n".join(str(p) for p in exc.problems)) from None
        log_state(self.state, config.strict)
        if self.command == "build":
            forget_front_matter(self.state.items)
        self.plan = (self.plan_with or plan_site)(self.state)
        if not self.defer_compliance:
            self.check_compliance(config)
        config.validation.nav.omitted_files = logging.DEBUG  # items stay out of the nav by design
        config.use_directory_urls = True  # item URLs are directory-style by design
        config.theme["font"] = False  # no web fonts from a CDN: the site must work on an intranet
        config.theme.dirs.insert(0, str(PACKAGE_DIR / "templates"))
        for uri, kind in ASSETS.items():
            if kind and uri not in config[kind]:
                config[kind].append(uri)
        self.apply_catalog(config)
        # MkDocs' own serve injects an inline reload script: no CSP there (partials/csp.html); the preview keeps it.
        config.extra["gongkai_live_reload"] = self.command == "serve" and self.load_with is None
        return config

    def apply_catalog(self, config) -> None:
        """What every page shows from catalog.yml (the preview applies it again when catalog.yml changes)."""
        config.nav = self.plan.nav
        config.site_name = self.state.catalog.site["name"]
        config.extra["gongkai_portal"] = portal(self.state.catalog)  # templates/partials/header.html, copyright.html
        if config.extra["gongkai_portal"]["emblem"]:
            config.theme["favicon"] = config.extra["gongkai_portal"]["emblem"]  # the agency's emblem, not the theme's book
        config.extra["gongkai_site_meta"] = fallback_tags(self.state.catalog)  # pages without their own tags (404)

    def check_compliance(self, config) -> None:
        folder = Path(config.config_file_path).parent / self.config.reports_dir
        if self.command == "build":  # a build writes its reports only once it has succeeded
            self.pending_compliance = BuildCompliance(self.state, self.plan, folder, config.strict)  # adapters/build_compliance.py
        else:
            check_compliance(self.state, self.plan, folder, config.strict)

    def on_files(self, files: Files, config) -> Files:
        docs_dir, folders = Path(config.docs_dir).resolve(), {}  # resolve_in: each folder resolved once, not each file's every part
        for file in list(files):
            if file.abs_src_path and docs_dir in resolve_in(Path(file.abs_src_path), folders).parents:
                files.remove(file)  # default deny: nothing under content/ is copied as-is
            elif file.src_uri.startswith("gk/"):
                files.remove(file)  # the page and feed templates (MkDocs copies a theme's non-.html files)
            elif unused_theme_file(file.src_uri, palette=bool(config.theme.get("palette"))):
                files.remove(file)  # Material's own search, palette and source maps: never loaded here
        for file in planned_files(config, [page.uri for page in render_order(self.plan.pages)]):
            files.append(file)  # empty sources: the planned page is handed over in on_page_markdown
        for copy in self.plan.files:
            files.append(File.generated(config, copy.uri, abs_src_path=str(copy.source)))
        for file in generated_files(config, self.plan.outputs):  # redirects, feeds, the JSON export
            files.append(file)
        for uri in [*ASSETS, *THEME_SCRIPTS]:
            files.append(File.generated(config, uri, abs_src_path=str(PACKAGE_DIR / uri)))
        root = Path(config.config_file_path).parent
        for uri in site_images(self.state.catalog):  # a bureau's own emblem or mark, kept in the project
            if uri not in ASSETS and (root / uri).is_file() and files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(root / uri)))
        return files

    def planned(self, uri: str) -> Page | None:
        """The planned page for a source uri (the preview swaps in a new plan as files change)."""
        if self._pages_of is not self.plan:
            self._pages, self._pages_of = ({p.uri: p for p in self.plan.pages} if self.plan else {}), self.plan
        return self._pages.get(uri)

    def rendered_elsewhere(self, page) -> bool:
        """Whether the second process renders this page (adapters/split_render.py)."""
        return self.split is not None and self.split.elsewhere(page.file.src_uri)

    def on_page_markdown(self, markdown, page, config, files):
        """MkDocs reads every page before it renders any: a planned page gets its title now (the nav shows it),
        its Markdown when it is rendered (on_page_context), so no page's HTML is kept meanwhile."""
        planned = self.planned(page.file.src_uri)
        if planned is None:
            return markdown
        page.meta = {"title": planned.title} if isinstance(planned, LazyPage) else {"title": planned.title, **planned.meta}
        if self.rendered_elsewhere(page):
            page.meta["template"] = ELSEWHERE_TEMPLATE
        return ""

    def on_page_content(self, html, page, config, files):
        if self.rendered_elsewhere(page):
            page.present_anchor_ids = None  # rendered in the other process: no anchors to check here
        return html

    def on_page_context(self, context, page, config, nav):
        """Convert the planned page's Markdown (the title goes through Markdown with the body so the
        toc extension numbers the body's headings after it; the template places that heading), then
        render its template (templates/gk/…) with its data into page.content; pages without Markdown
        take their table of contents from the template's headings."""
        planned = self.planned(page.file.src_uri)
        if planned is None or self.rendered_elsewhere(page):
            return context
        made = planned.made()
        page.meta.update(made.meta)
        body, title_heading = "", ""
        if made.markdown:
            html = render_markdown(page, f"# {escape(made.title)}\n\n{made.markdown}", config, self.files)
            if made.item_id:
                html = sanitize(html)  # fail closed: `check` already withholds bodies outside the allow-list
            heading, end, body = html.partition("</h1>")
            title_heading = Markup(heading + end)
        template, headings = self.env.get_template(made.template), Headings()
        page.content = template.render(**made.data, heading=headings, title_heading=title_heading, content=Markup(body))
        index = made.data.get("index")
        if index and self.search_pages is not None:  # what Pagefind reads of it (site/search_doc.py)
            self.search_pages.add(page.file.dest_uri, search_document(index, page.content if index.get("rendered") else body), index["period"])
        if headings.found:
            page.toc = get_toc(headings.tokens())
        return context

    def on_env(self, env, config, files):
        """templates/partials/nav.html includes the theme's nav.html (prefixed) and caches item pages' nav."""
        from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

        theme_dirs = [d for d in config.theme.dirs if Path(d) != PACKAGE_DIR / "templates"]
        env.loader = ChoiceLoader([env.loader, PrefixLoader({"gongkai-theme": FileSystemLoader(theme_dirs)})])
        env.globals["gongkai_nav_cache"] = {}
        env.auto_reload = self.command != "build"  # no stat of each template file for every page it renders
        self.env = env
        return env

    def on_nav(self, nav, config, files):
        """Everything MkDocs needs is known now: hand part of the item pages to a second process,
        then index the search documents as they are written (site/search_pipeline.py)."""
        self.files = files  # the Markdown of each page is converted against them (on_page_context)
        if self.command == "build" and self.plan is not None:
            self.split = SplitRender.start(config, files, nav, *split_candidates(self.plan.pages))
            try:
                BackgroundIndex.begin(self.search_pages, search_schedule(self.plan.pages, lambda uri: files.get_file_from_path(uri).dest_uri))
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from None
        return nav

    def join_split(self) -> None:
        """Wait for the second process; its warnings and errors count as this build's."""
        split, self.split = self.split, None
        kept = split.join() if split is not None else 0
        if self.search_pages is not None:
            self.search_pages.count += kept

    def on_serve(self, server, config, builder):
        server.watch(str(Path(config.config_file_path).parent / self.config.catalog))
        return server

    def on_pre_build(self, config) -> None:
        self.remove_search_pages()
        if self.config.search:
            self.search_pages = SearchPages(Path(config.site_dir))

    def on_post_page(self, output: str, page, config) -> str:
        page.content, page.toc = None, NO_TOC  # kept to the end of the build, read by nobody (the anchors MkDocs checks stay)
        page.meta = {"title": page.meta.get("title")}  # the nav still shows the title; the rest (~1 KB) goes
        return fix_theme_html(output)  # Material's markup the Nu checker refuses (adapters/theme_html.py)

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return fix_theme_html(output_content)  # the 404 page

    def on_post_build(self, config) -> None:
        self.join_split()
        if self.pending_compliance:
            self.pending_compliance.finish()
        mark_site(Path(config.site_dir))  # a later build may replace this folder
        if not self.config.search:
            return self.write_audit(config)
        from gongkai.adapters.reproducible import canonical_bundle

        try:
            summary = index_site(Path(config.site_dir), self.search_pages)
            for bundle in sorted(Path(config.site_dir).glob(BUNDLE_DIR + "*/")):  # pagefind/, pagefind-2/, …
                canonical_bundle(bundle)  # same bytes every build
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        finally:
            self.remove_search_pages()
        log.info("Pagefind 索引完成：" + summary)
        self.write_audit(config)

    def write_audit(self, config) -> None:
        """Note where the audit trail goes; it is written in on_shutdown, only if the build succeeded."""
        from gongkai.reports.audit import AUDIT_DIR, ReportsError, check_reports_dir

        if self.command == "serve":
            return
        site_dir = Path(config.site_dir)
        root = Path(config.config_file_path).parent
        target = root / self.config.reports_dir / AUDIT_DIR
        try:
            check_reports_dir(target, site_dir)
        except ReportsError as exc:
            raise PluginError(str(exc)) from None
        self.pending_audit = (target, site_dir)

    def on_build_error(self, error) -> None:
        for second_process in (self.split, self.pending_compliance):
            if second_process is not None:
                second_process.abandon()
        self.split = self.pending_audit = self.pending_compliance = None  # a failed build leaves the previous reports as they were
        self.remove_search_pages()

    def remove_search_pages(self) -> None:
        if self.search_pages is not None:
            self.search_pages.remove()
            self.search_pages = None

    def on_shutdown(self) -> None:
        from gongkai.reports.audit import write_reports

        self.remove_search_pages()
        if self.pending_audit and self.state is not None:
            if self.pending_compliance:
                write_compliance(self.pending_compliance.finish(), self.pending_compliance.folder)
            written = write_reports(self.state, *self.pending_audit)
            log.info(f"审计记录已写入 {written}（不在网站目录内）")
        self.pending_audit = self.pending_compliance = None

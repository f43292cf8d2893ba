"""MkDocs renders on one core; this puts the second to work on part of the item pages.

Once MkDocs knows every file and the navigation (on_nav), the build forks. The child
reads, converts and writes its share of the item pages with MkDocs' own page functions,
then exits; the parent treats that share as rendered elsewhere (no Markdown, an empty
template, nothing written) and renders the rest. Before the search index is built
(on_post_build) the parent waits for the child and re-logs the child's warnings and
errors, so strict mode and failures behave as in one process: any problem in the child
fails the build. The output is byte-identical to a one-process build (tested).

Only for `build` with enough item pages, on a machine with two cores that can fork a
process without other threads running, and while the build's memory allows a second
process (core/parallel.memory_allows_fork); GONGKAI_WORKERS=1 turns it off.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import traceback
from pathlib import Path

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.exceptions import PluginError

from gongkai.core.parallel import fork_build_process, memory_allows_fork, worker_count

MIN_PAGES_ENV = "GONGKAI_SPLIT_MIN_PAGES"  # tests lower it to split the small sample site
MIN_PAGES = 1500  # below this, forking costs more than it saves
CHILD_SHARE = 0.55  # the parent also renders the generated pages (but the few searchable ones) and the theme's templates
TAIL_SHARE = 0.2  # of the item pages (the oldest), rendered by both processes at the end
ELSEWHERE_TEMPLATE = "gk/elsewhere.html"  # renders nothing: MkDocs then writes nothing
log = logging.getLogger("mkdocs.plugins.gongkai")


class _Collector(logging.Handler):
    """The child's warnings and errors, handed to the parent to log again."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record):
        self.records.append((record.levelno, record.getMessage()))


class _SkipNotice(logging.Filter):
    """MkDocs says 'Page skipped … empty output' for each page the child writes: not news."""

    def filter(self, record):
        return not record.getMessage().startswith("Page skipped:")


def child_share(item_uris: list[str]) -> list[str]:
    """The child's item pages: the newest ones, then every other one of the oldest TAIL_SHARE.

    The child starts writing at once, newest first, while the parent first copies the static
    files and renders the generated pages, so the search index, which can start with the newest months, has documents
    from the start (site/search_pipeline.py). Both processes end on the oldest pages, so the
    last pages written belong to one bundle, which the index follows as they come."""
    count = len(item_uris)
    tail = int(count * TAIL_SHARE)
    own = int(count * CHILD_SHARE) - (tail + 1) // 2
    return item_uris[:own] + item_uris[count - tail::2]


class SplitRender:
    def __init__(self, uris: set[str], pid: int, report: Path):
        self.uris = uris  # source uris the child renders
        self.pid = pid
        self.report = report
        self.notice_filter = _SkipNotice()
        logging.getLogger("mkdocs.commands.build").addFilter(self.notice_filter)

    @classmethod
    def start(cls, config, files, nav, item_uris: list[str], searchable_generated: list[str] = ()) -> "SplitRender | None":
        """searchable_generated: generated pages with a search document, which the child renders
        first: they belong to the newest bundle, which can then be indexed as soon as the child
        has written the newest items (the parent writes its item pages after the generated ones)."""
        minimum = int(os.environ.get(MIN_PAGES_ENV) or MIN_PAGES)
        if worker_count(len(item_uris), minimum) < 2 or not memory_allows_fork():
            return None
        share = [*searchable_generated, *child_share(item_uris)]
        handle, name = tempfile.mkstemp(prefix="gongkai-split-", suffix=".json")
        os.close(handle)
        pid = fork_build_process()
        if pid == 0:
            _run_child(config, files, nav, share, Path(name))  # never returns
        log.debug(f"{len(share)} item pages rendered by process {pid}")
        return cls(set(share), pid, Path(name))

    def elsewhere(self, uri: str) -> bool:
        return uri in self.uris

    def finish(self) -> tuple[int, list[tuple[int, str]]]:
        """Wait for the child; (pages it kept for the search index, its warnings and errors)."""
        try:
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
            result = json.loads(self.report.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            status, result = 1, {}
        finally:
            self.close()
        records = [tuple(r) for r in result.get("records", [])]
        if os.waitstatus_to_exitcode(status) != 0 and not any(level >= logging.ERROR for level, _ in records):
            records.append((logging.ERROR, "并行渲染的子进程异常退出，构建中止"))
        return int(result.get("search_pages", 0)), records

    def join(self) -> int:
        """finish(), with the child's warnings and errors logged as this build's; fails the build on an error."""
        kept, records = self.finish()
        for level, message in records:
            log.log(level, message)
        if any(level >= logging.ERROR for level, _ in records):
            raise PluginError("部分条目页面渲染失败（见上），已停止构建")
        return kept

    def abandon(self) -> None:
        """The build failed elsewhere: stop the child and clean up."""
        if self.pid:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0
        self.close()

    def close(self) -> None:
        self.report.unlink(missing_ok=True)
        logging.getLogger("mkdocs.commands.build").removeFilter(self.notice_filter)


def _run_child(config, files, nav, share: list[str], report: Path) -> None:
    collector = _Collector()
    logging.getLogger("mkdocs").addHandler(collector)
    status = 1
    search_pages = 0
    try:
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        doc_files = files.documentation_pages()
        plugin = config.plugins["gongkai"]
        before = plugin.search_pages.count if plugin.search_pages is not None else 0
        for uri in share:  # each page whole before the next: its search document comes early
            page = files.get_file_from_path(uri).page
            _populate_page(page, config, files)
            _build_page(page, config, doc_files, nav, env)
        search_pages = (plugin.search_pages.count if plugin.search_pages is not None else 0) - before
        status = 0
    except BaseException:
        if not any(level >= logging.ERROR for level, _ in collector.records):
            collector.records.append((logging.ERROR, "并行渲染出错：" + traceback.format_exc(limit=3)))
    finally:
        try:
            report.write_text(json.dumps({"records": collector.records, "search_pages": search_pages}), encoding="utf-8")
        finally:
            os._exit(status)  # skip every exit handler: the parent owns the build's clean-up

"""Operator mistakes through the `gongkai` command: no data loss, no leftovers, no tracebacks, same bytes twice."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import cbor2
import pytest

from compliance_helpers import copy_sample, make_project, write_item
from review_helpers import TODAY, init_repo

GONGKAI = Path(sys.executable).with_name("gongkai")


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "GONGKAI_BUILD_DATE": TODAY, **(env or {})}
    return subprocess.run([str(GONGKAI), *args], cwd=cwd, capture_output=True, text=True, env=full_env, timeout=300)


def tree(root: Path) -> dict[str, str]:
    """Every file under root (.git included, the attachment-text cache not) with a digest of its bytes."""
    files = (p for p in sorted(root.rglob("*")) if p.is_file() and ".gongkai-cache" not in p.parts)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith("错误："), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The sample project in git, with a tracked folder that looks like a site and an untracked folder of notes."""
    root = copy_sample(tmp_path_factory.mktemp("safety"))
    (root / "published").mkdir()
    (root / "published" / ".gongkai-site").write_text("copied marker\n", encoding="utf-8")
    (root / "published" / "index.html").write_text("<p>committed page</p>\n", encoding="utf-8")
    init_repo(root)
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("not a site\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("site_dir, words", [
    (".", ["--site-dir", "包含整个项目"]),
    ("..", ["--site-dir", "包含整个项目"]),
    ("content", ["--site-dir", "content", "源文件"]),
    ("content/out", ["--site-dir", "源文件夹"]),
    ("requests", ["--site-dir", "requests"]),
    ("published", ["--site-dir", "2 个 git 跟踪的文件", "index.html"]),
    ("notes", ["--site-dir", "不是空的", ".gongkai-site", "清空或删除"]),
    ("catalog.yml", ["--site-dir", "是一个文件"]),
])
def test_build_refuses_a_site_dir_that_is_not_only_a_site(repo, site_dir, words):
    before = tree(repo)
    refused(run("build", "--site-dir", site_dir, cwd=repo), *words)
    assert tree(repo) == before
    assert not (repo / "site").exists()


def test_mkdocs_yml_site_dir_is_checked_too(repo, tmp_path):
    before = tree(repo)
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(config.replace("site_dir: site", "site_dir: notes"), encoding="utf-8")
    try:
        result = run("build", cwd=repo)
        mkdocs = subprocess.run([str(GONGKAI.with_name("mkdocs")), "build", "-d", str(repo / "requests")], cwd=repo,
                                capture_output=True, text=True, env={**os.environ, "GONGKAI_BUILD_DATE": TODAY})
    finally:
        (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    refused(result, "mkdocs.yml 的 site_dir", "不是空的")
    assert mkdocs.returncode != 0 and "requests" in mkdocs.stderr and "源文件" in mkdocs.stderr  # plain MkDocs, same guard
    assert tree(repo) == before


def test_mkdocs_yml_site_dir_over_the_sources_is_a_chinese_refusal(repo):
    """MkDocs itself refuses site_dir: content (docs_dir inside site_dir) in English; gongkai says it in Chinese."""
    before = tree(repo)
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(config.replace("site_dir: site", "site_dir: content"), encoding="utf-8")
    try:
        result = run("build", cwd=repo)
    finally:
        (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    message = result.stderr.strip().splitlines()[-1]  # after MkDocs' own log line
    assert message.startswith("错误：mkdocs.yml 的 site_dir") and all(w in message for w in ("content/", "重叠", "默认 site")), message
    assert tree(repo) == before


def test_a_marked_site_is_replaced_and_stale_staging_is_removed(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 11, 1), date(2026, 11, 2))
    out = tmp_path / "out"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    killed = tmp_path / ".out.building-killed"  # what a killed build leaves (its process is gone)
    running = tmp_path / ".out.building-running"  # another build still at work: this test's own process
    foreign = tmp_path / ".out.building-foreign"  # no marker: not ours to remove
    for folder, owner in [(killed, dead.pid), (running, os.getpid()), (foreign, None)]:
        (folder / "out").mkdir(parents=True)
        (folder / "out" / "index.html").write_text("half", encoding="utf-8")
        if owner:
            (folder / ".gongkai-staging").write_text(json.dumps({"pid": owner, "host": host, "started": 1e12}), encoding="utf-8")

    first = run("build", "--site-dir", str(out), cwd=root)
    assert first.returncode == 0, first.stderr
    assert (out / ".gongkai-site").is_file() and (out / "item" / "2026-00001" / "index.html").is_file()
    assert not killed.exists() and running.exists() and foreign.exists()
    (out / "left-by-hand.txt").write_text("x", encoding="utf-8")
    second = run("build", "--site-dir", str(out), cwd=root)
    assert second.returncode == 0, second.stderr
    assert not (out / "left-by-hand.txt").exists() and (out / ".gongkai-site").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")) == [foreign.name, running.name]
    (out / ".gongkai-site").unlink()  # a site built before sites carried the marker: still recognised
    (out / "pagefind").mkdir()
    (out / "pagefind" / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    assert run("build", "--site-dir", str(out), cwd=root).returncode == 0
    (out / "sitemap.xml").unlink()
    (out / ".gongkai-site").unlink()
    refused(run("build", "--site-dir", str(out), cwd=root), "不是 gongkai 生成的网站")


def test_a_failed_build_keeps_the_previous_reports_and_site(tmp_path):
    root = make_project(tmp_path)
    write_item(root, "2026-00001", "gzdt", date(2026, 11, 1), date(2026, 11, 2))
    assert run("build", cwd=root).returncode == 0
    reports, site = tree(root / "reports"), tree(root / "site")
    assert "compliance.json" in reports and "audit/manifest.json" in reports
    write_item(root, "2026-00002", "tzgg", date(2026, 11, 2), date(2026, 11, 3), body="见[草稿](../2026-00009/)。")
    failed = run("build", cwd=root)
    assert failed.returncode == 1 and "合规检查未通过" in failed.stderr and "Traceback" not in failed.stderr
    assert tree(root / "reports") == reports
    assert tree(root / "site") == site
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []  # no staging left
    assert [p.name for p in (root / "reports").iterdir() if p.name.startswith(".")] == []


def test_two_builds_of_the_same_tree_are_byte_identical(tmp_path):
    root = copy_sample(tmp_path)
    (root / "mkdocs.yml").write_text((Path(__file__).parents[1] / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")  # with search
    sites = [tmp_path / "one", tmp_path / "two"]
    for site in sites:
        result = run("build", "--site-dir", str(site), cwd=root, env={"GONGKAI_SPLIT_MIN_PAGES": "1"})  # both processes render
        assert result.returncode == 0, result.stderr
    one, two = tree(sites[0]), tree(sites[1])
    filters = [name for name in one if name.startswith("pagefind/filter/")]
    assert len(filters) >= 3 and any(name.endswith(".pf_meta") for name in one)
    assert one == two
    for name in filters:  # in sorted order, the order Pagefind 1.6 writes (1.5 writes hash-map order)
        values = [v[0] for v in cbor2.loads(gzip.decompress((sites[0] / name).read_bytes())[len(b"pagefind_dcd"):])[1]]
        assert values == sorted(values) and len(values) >= 1


@pytest.fixture(scope="module")
def busy_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.parametrize("args, words", [
    (["preview", "--dev-addr", "nonsense"], ["--dev-addr", "端口", "1–65535"]),
    (["preview", "--dev-addr", ":99999"], ["--dev-addr", "99999", "1–65535"]),
    (["preview", "--dev-addr", "example.org:8000"], ["--dev-addr", "不是 IPv4 地址"]),
    (["serve", "--dev-addr", "localhost:http"], ["--dev-addr", "端口"]),
    (["preview", "--dev-addr", "127.0.0.1:BUSY"], ["--dev-addr", "已被其他程序占用", "换一个端口"]),
    (["preview", "--dev-addr", "192.0.2.1:8000"], ["--dev-addr", "本机没有地址", "127.0.0.1"]),
    (["serve", "--dev-addr", "127.0.0.1:BUSY"], ["--dev-addr", "已被其他程序占用"]),
    (["build", "--site-dir", "catalog.yml/site"], ["--site-dir", "无法", "同名的文件"]),
    (["annual-report", "--year", "2025", "--out", "catalog.yml"], ["--out", "无法写入"]),
    (["-C", "no-such-folder", "check"], ["-C", "不存在"]),
])
def test_bad_arguments_give_a_chinese_error_naming_the_option(repo, busy_port, args, words):
    args = [a.replace("BUSY", str(busy_port)) for a in args]
    before = tree(repo)
    refused(run(*args, cwd=repo), *words)
    assert tree(repo) == before


@pytest.mark.parametrize("command", [["check"], ["build"], ["preview"], ["report"], ["new", "gzdt", "标题"]])
def test_outside_a_project_every_command_says_where_to_run_it(tmp_path, command):
    result = run(*command, cwd=tmp_path)
    refused(result, "catalog.yml", "不是 gongkai 项目", "项目文件夹", "-C")
    assert "does not exist" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["build", "preview", "serve"])
def test_a_broken_mkdocs_yml_is_a_message_not_a_traceback(tmp_path, command):
    root = make_project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: [\n", encoding="utf-8")
    with socket.socket() as probe:  # a port free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(command, *([] if command == "build" else ["--dev-addr", f"127.0.0.1:{port}"]), cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "mkdocs.yml 有错误" in result.stderr and ("构建失败" in result.stderr or "无法预览" in result.stderr)


def _search_page(name: str, rank: int) -> str:
    return (f'<html lang="und"><body><main data-pagefind-body><p>第 {name} 页 公路 养护</p>'
            f'<span data-pagefind-filter="年份">{2020 + rank % 2}</span><span data-pagefind-filter="栏目">栏目{rank % 3}</span>'
            f'<span data-pagefind-sort="date">2026-01-0{1 + rank % 2}</span>'
            f'<span data-pagefind-meta="date">2026-01-0{1 + rank % 2}</span></main></body></html>')


def test_pages_written_in_another_order_give_the_same_bundle(tmp_path):
    """Pagefind's command line numbers pages in the order it lists the folder (creation order on
    tmpfs, used here when there is one; hash order on ext4). The build gives them to Pagefind
    sorted by path instead, and sorts what Pagefind writes in hash-map order: the same bytes."""
    from gongkai.adapters.reproducible import canonical_bundle
    from gongkai.site.search import BUNDLE_DIR, SearchPages, index_site

    shm = Path("/dev/shm")
    base = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path
    try:
        bundles = []
        for order in ("zamqbk", "abkmqz", "qzbakm"):
            site = base / f"site-{order}"
            site.mkdir()
            pages = SearchPages(site)
            for name in order:
                pages.add(f"item/{name}/index.html", _search_page(name, "abkmqz".index(name)), "2026-01")
            try:
                index_site(site, pages)
            finally:
                pages.remove()
            canonical_bundle(site / BUNDLE_DIR)
            bundles.append(tree(site / BUNDLE_DIR))
        assert bundles[0] == bundles[1] == bundles[2]
        assert len([name for name in bundles[0] if name.startswith("filter/")]) == 2
        assert len([name for name in bundles[0] if name.startswith("index/")]) >= 1
    finally:
        if base != tmp_path:
            shutil.rmtree(base)


def test_pagefind_command_line_order_shows_without_the_build(tmp_path):
    """The reason for the above: the same folder contents created in another order give Pagefind's
    command line another bundle (on tmpfs). If this ever fails, Pagefind sorts by itself."""
    from gongkai.site.search import pagefind_executable

    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        pytest.skip("no tmpfs here: listing order is not creation order")
    base = Path(tempfile.mkdtemp(dir=shm))
    try:
        bundles = []
        for order in ("zamqbk", "abkmqz"):
            pages = base / f"pages-{order}"
            for name in order:
                (pages / name).mkdir(parents=True)
                (pages / name / "index.html").write_text(_search_page(name, "abkmqz".index(name)), encoding="utf-8")
            out = base / f"out-{order}"
            subprocess.run([str(pagefind_executable()), "--site", str(pages), "--output-path", str(out)], check=True, capture_output=True)
            bundles.append({k: v for k, v in tree(out).items() if k.startswith("index/")})
        assert bundles[0] != bundles[1]
    finally:
        shutil.rmtree(base)


def test_a_pagefind_failure_is_a_chinese_message(tmp_path, monkeypatch):
    from gongkai.site import search

    site = tmp_path / "site"
    site.mkdir()
    pages = search.SearchPages(site)
    pages.add("item/a/index.html", _search_page("a", 0), "2026-01")
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'broken install' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: fake)
    try:
        with pytest.raises(search.SearchIndexError) as caught:
            search.index_site(site, pages)
    finally:
        pages.remove()
    assert "Pagefind 建立索引失败" in str(caught.value) and "退出码 3" in str(caught.value) and "broken install" in str(caught.value)


@pytest.mark.parametrize("args, words", [
    (["annual-report", "--year", "abc", "--out", "x.md"], ["--year", "abc", "不是整数"]),
    (["sign"], ["缺少必须写的参数", "--reviewer"]),
    (["bogus"], ["不在可选范围内", "check"]),
    (["check", "--nonsense"], ["无法识别的参数", "--nonsense"]),
])
def test_usage_errors_are_chinese(repo, args, words):
    result = run(*args, cwd=repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "错误：" in result.stderr and "-h 查看用法" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    message = result.stderr.strip().splitlines()[-1]  # after argparse's usage lines
    assert not any(english in message for english in ("invalid", "required", "unrecognized", "choose from")), message

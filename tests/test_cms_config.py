"""The web editor without a browser: the Decap configuration generated from the catalog and the item
schema, where `gongkai cms` may write, and the 索引号 a merge request's new items finally get."""
from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from gongkai.cli.main import main
from gongkai.cms.decap_config import CmsConfigError, decap_config
from gongkai.cms.editor import MARKER, EditorError, EditorPaths, check_target, config_text
from gongkai.cms.ids import assign_ids
from gongkai.core.catalog import load_catalog
from gongkai.core.schema import raw_schema

REPO = Path(__file__).resolve().parents[1]
NEXT = "11999900MB1234567Q/2026-00100"
LOCAL = "http://127.0.0.1:8081/api/v1"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO / "catalog.yml", REPO)


@pytest.fixture(scope="module")
def config(catalog):
    return decap_config(catalog, "content", NEXT, LOCAL)


def fields_of(config, column: str) -> dict[str, dict]:
    collection = next(c for c in config["collections"] if c["name"] == column)
    return {f["name"]: f for f in collection["fields"]}


def test_one_collection_per_leaf_column_writing_into_its_folder(catalog, config):
    leaves = [c for c in catalog.all_columns() if not c.children]
    assert [c["name"] for c in config["collections"]] == [c.code for c in leaves]
    by_name = {c["name"]: c for c in config["collections"]}
    assert by_name["sgjf"]["folder"] == "content/fdzdgk/czzj/sgjf"
    assert by_name["sgjf"]["label"] == "法定主动公开内容 / 财政资金 / 三公经费"
    assert by_name["gzdt"]["media_folder"] == "" and by_name["gzdt"]["public_folder"] == ""  # the item's folder
    assert "fdzdgk" not in by_name  # a column with children takes no items
    assert config["locale"] == "zh_Hans"


def test_every_schema_field_but_the_sign_off_is_in_the_form_with_its_chinese_label(config):
    fields = fields_of(config, "gzdt")
    schema = raw_schema()["properties"]
    assert set(fields) == (set(schema) - {"review"}) | {"body"}
    for name, spec in schema.items():
        if name != "review":
            assert fields[name]["label"] == spec["x-label"]
    assert fields["body"]["widget"] == "markdown"
    assert fields["catalog"] == {"label": "所属栏目", "name": "catalog", "widget": "hidden", "default": "gzdt"}


def test_required_fields_selects_dates_and_attachments(catalog, config):
    fields = fields_of(config, "gzdt")
    required = {n for n, f in fields.items() if f.get("required") and n != "body"}
    assert required == set(raw_schema()["required"]) - {"catalog"}
    assert fields_of(config, "gljy")["doc_no"]["required"] is True  # the column requires a 文号
    assert fields["doc_no"]["required"] is False
    assert fields["topics"]["widget"] == "select" and fields["topics"]["multiple"] and fields["topics"]["min"] == 1
    assert fields["topics"]["options"] == [t.name for t in catalog.topics]
    assert fields["doc_type"]["options"] == catalog.doc_types
    assert fields["disclosure"]["options"] == catalog.disclosure and fields["disclosure"]["default"] == "主动公开"
    assert fields["validity"]["options"] == catalog.validity
    assert fields["published"]["widget"] == "datetime" and fields["published"]["time_format"] is False
    assert fields["published"]["format"] == "YYYY-MM-DD"
    attachment = {f["name"]: f for f in fields["attachments"]["fields"]}
    assert attachment["file"]["widget"] == "file" and attachment["file"]["media_folder"] == ""
    assert attachment["title"]["label"] == "附件名称"
    withdrawn = {f["name"]: f for f in fields["withdrawn"]["fields"]}
    assert withdrawn["reason"]["options"] == ["已撤回", "已合并", "发布错误"]


def test_patterns_accept_and_reject_what_the_schema_does(config):
    fields = fields_of(config, "gzdt")
    id_pattern = re.compile(fields["id"]["pattern"][0])
    assert fields["id"]["default"] == NEXT and id_pattern.match(NEXT)
    assert not id_pattern.match("2026-00100")
    doc_no = re.compile(fields["doc_no"]["pattern"][0])
    assert doc_no.search("澜交发〔2026〕12号") and not doc_no.search("澜交发2026年12号")
    title = re.compile(fields["title"]["pattern"][0])
    assert title.match("字" * 200) and not title.match("字" * 201)
    slug = re.compile(fields["slug"]["pattern"][0])
    assert slug.match("2026-budget") and not slug.match("预算")


def test_backend_comes_from_the_catalog_with_the_editorial_workflow_on_gitlab(catalog):
    assert decap_config(catalog, "content", NEXT, LOCAL)["backend"] == {"name": "proxy", "proxy_url": LOCAL}
    catalog.raw["cms"] = {"backend": {"name": "gitlab", "repo": "jiaotong/gongkai", "base_url": "https://git.jianglan.example/", "app_id": "abc"}}
    try:
        config = decap_config(catalog, "content", NEXT, LOCAL)
    finally:
        del catalog.raw["cms"]
    assert config["backend"]["auth_type"] == "pkce" and config["backend"]["api_root"] == "https://git.jianglan.example/api/v4"
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] == {"url": LOCAL}


@pytest.mark.parametrize("block, message", [
    ("gitlab", "cms 应为一组设置"),
    ({"backend": {"name": "svn"}}, "cms.backend.name 应为"),
    ({"backend": {"name": "gitlab", "repo": "a/b"}}, "缺少 base_url、app_id"),
])
def test_a_wrong_cms_block_is_named_in_chinese(catalog, block, message):
    catalog.raw["cms"] = block
    try:
        with pytest.raises(CmsConfigError, match=message):
            decap_config(catalog, "content", NEXT, LOCAL)
    finally:
        del catalog.raw["cms"]


def test_the_editor_folder_is_never_in_the_site_or_the_content(tmp_path):
    def paths(out):
        return EditorPaths(root=tmp_path, out=out, content_dir="content", site_dir=tmp_path / "site")

    for bad in (tmp_path / "site", tmp_path / "site" / "cms", tmp_path / "content" / "cms", tmp_path):
        with pytest.raises(EditorError, match="不能放在"):
            check_target(paths(bad))
    foreign = tmp_path / "cms"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("别人的文件")
    with pytest.raises(EditorError, match="不是 gongkai cms 创建的"):
        check_target(paths(foreign))
    (foreign / MARKER).write_text("")
    check_target(paths(foreign))  # its own folder: may be rewritten


def test_cms_command_without_the_bundle_explains_in_chinese(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GONGKAI_CMS_HOME", str(tmp_path / "nothing"))
    assert main(["-C", str(REPO), "cms", "--out", str(tmp_path / "editor")]) == 2
    assert "找不到 Decap CMS 程序文件" in capsys.readouterr().err
    assert main(["-C", str(REPO), "cms", "--out", str(REPO / "site" / "cms")]) == 2
    assert "不能放在网站输出目录" in capsys.readouterr().err


def test_config_text_is_yaml_with_the_next_free_number(catalog, tmp_path):
    paths = EditorPaths(root=REPO, out=tmp_path, content_dir="content", site_dir=REPO / "site")
    config = yaml.safe_load(config_text(catalog, paths, 8081, date(2026, 11, 25)))
    ids = fields_of(config, "gzdt")["id"]["default"]
    assert ids.startswith("11999900MB1234567Q/2026-")
    used = {yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]).get("id") for p in (REPO / "content").rglob("*.md")}
    assert ids not in used and int(ids[-5:]) == max(int(i[-5:]) for i in used if "/2026-" in i) + 1


def run_git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], check=True, capture_output=True)


def item_text(number: str, title: str) -> str:
    return f"---\nid: 11999900MB1234567Q/2026-{number}  # 索引号\ntitle: {title}\ncatalog: gzdt\n---\n\n正文\n"


def test_assign_ids_renumbers_only_new_items_whose_number_is_taken(catalog, tmp_path):
    root = tmp_path
    (root / "content" / "gzdt").mkdir(parents=True)
    (root / "content" / "gzdt" / "2026-00010.md").write_text(item_text("00010", "旧条目"), encoding="utf-8")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-qm", "base")
    run_git(root, "checkout", "-qb", "cms/gzdt/new")
    folder = root / "content" / "gzdt"
    (folder / "a.md").write_text(item_text("00010", "与旧条目重号"), encoding="utf-8")
    (folder / "b.md").write_text(item_text("00011", "空号"), encoding="utf-8")
    (folder / "c.md").write_text(item_text("00011", "与另一新条目重号"), encoding="utf-8")
    changes = assign_ids(root, catalog, "main")
    assert [(c.path, c.old[-5:], c.new[-5:]) for c in changes] == [("content/gzdt/a.md", "00010", "00012"), ("content/gzdt/c.md", "00011", "00013")]
    assert (folder / "a.md").read_text(encoding="utf-8") == item_text("00012", "与旧条目重号")
    assert (folder / "b.md").read_text(encoding="utf-8") == item_text("00011", "空号")
    assert (folder / "2026-00010.md").read_text(encoding="utf-8") == item_text("00010", "旧条目")
    assert assign_ids(root, catalog, "main") == []  # nothing left to do


def test_cms_serve_runs_on_127_0_0_1_and_a_kill_stops_decap_server_too(tmp_path):
    import signal
    import socket
    import urllib.request

    from gongkai.cms.server import free_port

    root = tmp_path / "bureau"
    (root / "content" / "gzdt").mkdir(parents=True)
    (root / "catalog.yml").write_bytes((REPO / "catalog.yml").read_bytes())
    page_port, backend_port = free_port(), free_port()
    env = {**os.environ, "GONGKAI_CMS_HOME": str(REPO / ".cache" / "cms")}
    command = [str(REPO / ".venv" / "bin" / "gongkai"), "-C", str(root), "cms", "--serve", "--port", str(page_port), "--backend-port", str(backend_port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline(), process.stdout.readline()]
        assert lines[1].startswith(f"在浏览器中打开 http://127.0.0.1:{page_port}/"), lines
        with urllib.request.urlopen(f"http://127.0.0.1:{page_port}/config.yml") as response:
            served = yaml.safe_load(response.read().decode("utf-8"))
        assert served["local_backend"] == {"url": f"http://127.0.0.1:{backend_port}/api/v1"}
        assert fields_of(served, "gzdt")["id"]["default"] == "11999900MB1234567Q/2026-00001"  # an empty project
        socket.create_connection(("127.0.0.1", backend_port), timeout=2).close()  # decap-server is up
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", backend_port), timeout=2).close()
    assert (root / "cms" / MARKER).is_file() and not (root / "site").exists()

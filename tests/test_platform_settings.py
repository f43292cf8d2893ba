"""mkdocs.yml settings that could put other files on pages are refused: the build stops, no site.

Each case is built with `gongkai build` on a scratch project holding one signed item and one
unsigned item with a canary; the canary must appear in no output and nothing may be written.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from review_helpers import gongkai, make_project, sign, tree_texts, write_item

CANARY = "平台金丝雀-未签署正文-7Q3X"
UNSIGNED = "content/tzgg/2026-00531.md"


def project(tmp_path):
    root = make_project(tmp_path)
    sign(root, write_item(root, "2026-00530", "已签署的通知", column="tzgg"))
    write_item(root, "2026-00531", "未签署的通知", body=f"{CANARY}。", column="tzgg")
    return root


def edit_mkdocs(root, change) -> None:
    path = root / "mkdocs.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def assert_refused(root, *names: str) -> str:
    result = gongkai(root, "build")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "mkdocs.yml" in output and all(name in output for name in names), output
    assert "Traceback" not in output
    assert CANARY not in output
    assert not (root / "site").exists() and not (root / "reports").exists()
    leaked = [str(p) for p, text in tree_texts(root) if CANARY in text and p.relative_to(root).as_posix() != UNSIGNED]
    assert leaked == []
    return output


def test_snippets_auto_append_of_an_unsigned_item_is_refused(tmp_path):
    root = project(tmp_path)
    # without the allow-list this puts the unsigned item's text on every page with Markdown
    snippets = {"pymdownx.snippets": {"auto_append": [UNSIGNED], "base_path": [str(root)]}}
    edit_mkdocs(root, lambda d: d["markdown_extensions"].append(snippets))
    output = assert_refused(root, "markdown_extensions", "pymdownx.snippets")
    assert "site_settings.yml" in output and "平台改动" in output


def test_hooks_are_refused(tmp_path):
    root = project(tmp_path)
    marker = tmp_path / "hook-imported"
    (root / "hooks.py").write_text(
        f"from pathlib import Path\n\nPath({str(marker)!r}).touch()\n\n"
        "def on_page_content(html, page, config, files):\n"
        f"    return html + Path({UNSIGNED!r}).read_text(encoding='utf-8')\n",
        encoding="utf-8",
    )
    edit_mkdocs(root, lambda d: d.__setitem__("hooks", ["hooks.py"]))
    assert "hooks.py" in assert_refused(root, "hooks")
    assert not marker.exists(), "gongkai build refuses hooks before MkDocs imports them"


def custom_dir(root, d):
    (root / "overrides").mkdir()
    (root / "overrides" / "main.html").write_text("{% extends 'base.html' %}{% block content %}{% include 'canary.html' %}{% endblock %}", encoding="utf-8")
    d["theme"]["custom_dir"] = "overrides"


CASES = {
    "search plugin": (lambda root, d: d["plugins"].append("search"), ["plugins", "search"]),
    "custom theme dir": (custom_dir, ["theme.custom_dir", "overrides"]),
    "extra templates": (lambda root, d: d.__setitem__("extra_templates", ["tzgg/2026-00531.md"]), ["extra_templates"]),
    "extra javascript": (lambda root, d: d.__setitem__("extra_javascript", ["https://cdn.example/x.js"]), ["extra_javascript", "https://cdn.example/x.js"]),
    "extra css": (lambda root, d: d.__setitem__("extra_css", ["tzgg/x.css"]), ["extra_css", "tzgg/x.css"]),
    "unlisted extension": (lambda root, d: d["markdown_extensions"].append("pymdownx.blocks.html"), ["markdown_extensions", "pymdownx.blocks.html"]),
    "other theme": (lambda root, d: d["theme"].__setitem__("name", "mkdocs"), ["theme.name", "mkdocs"]),
    "docs_dir elsewhere": (lambda root, d: (root / "drafts").mkdir() or d.__setitem__("docs_dir", "drafts"), ["docs_dir", "drafts"]),
}


@pytest.mark.parametrize("case", CASES)
def test_settings_outside_the_allow_list_are_refused(tmp_path, case):
    root = project(tmp_path)
    change, names = CASES[case]
    edit_mkdocs(root, lambda d: change(root, d))
    assert_refused(root, *names)


@pytest.mark.parametrize("option, names", [("slugify: !!python/name:builtins.str", ["!!python/name:builtins.str"]), ("title: !relative", ["markdown_extensions", "toc", "!relative"])])
def test_extension_options_that_are_code_or_paths_are_refused(tmp_path, option, names):
    root = project(tmp_path)
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("      permalink: false", f"      permalink: false\n      {option}"), encoding="utf-8")
    assert_refused(root, *names)


def test_a_config_without_the_gongkai_plugin_is_refused(tmp_path):
    root = project(tmp_path)
    edit_mkdocs(root, lambda d: d.__setitem__("plugins", []))
    assert "gongkai" in assert_refused(root, "plugins")


def test_allowed_settings_still_build(tmp_path):
    root = project(tmp_path)
    edit_mkdocs(root, lambda d: d["markdown_extensions"].extend(["admonition", {"footnotes": {"BACKLINK_TEXT": "↩"}}]))
    result = gongkai(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(CANARY not in text for _, text in tree_texts(root / "site"))


def test_python_objects_in_mkdocs_yml_are_refused_before_mkdocs_loads_them(tmp_path):
    root = project(tmp_path)
    marker = tmp_path / "executed"
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write(f'watch:\n  - !!python/object/apply:os.system ["touch {marker}"]\n')
    output = assert_refused(root, "!!python/object/apply:os.system", "第 ")
    assert not marker.exists(), output


def test_plain_mkdocs_build_is_refused_by_the_plugin_too(tmp_path):
    """`mkdocs build` without gongkai's wrapper: on_config stops it before anything is written."""
    root = project(tmp_path)
    (root / "hooks.py").write_text("def on_page_markdown(markdown, **kwargs):\n    return markdown\n", encoding="utf-8")
    snippets = {"pymdownx.snippets": {"auto_append": [UNSIGNED], "base_path": [str(root)]}}
    edit_mkdocs(root, lambda d: (d["markdown_extensions"].append(snippets), d.__setitem__("hooks", ["hooks.py"])))
    mkdocs = Path(os.sys.executable).with_name("mkdocs")
    result = subprocess.run([str(mkdocs), "build", "-f", str(root / "mkdocs.yml")], capture_output=True, text=True, env={**os.environ, "GONGKAI_BUILD_DATE": "2026-11-25"})
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "pymdownx.snippets" in output and "hooks.py" in output, output
    assert CANARY not in output and not (root / "site").exists()

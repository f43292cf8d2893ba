"""A planned page reaches MkDocs in memory: its title and meta exactly as planned (no YAML dump to read back)."""
from types import SimpleNamespace

from gongkai.adapters.mkdocs_plugin import GongkaiPlugin
from gongkai.site.plan import Page, SitePlan

TRICKY = ["普通标题", "含: 冒号", "# 井号开头", "引号\"和'单引号", "  前后空格  ", "多行\n第二行", "长" * 300,
          "yes", "2026-01-01", "null", "- 列表样", "{花括号}", "a: b: c", "tab\there", "", "~"]


def test_planned_title_and_meta_reach_mkdocs_unchanged():
    plugin = GongkaiPlugin()
    for text in TRICKY:
        page = Page("item/x/index.md", text, "gk/item.html", {}, {"description": text, "gongkai_item": "X/2026-00001", "gongkai_search": True}, "正文")
        plugin.plan = SitePlan([page], [], [])
        mkdocs_page = SimpleNamespace(file=SimpleNamespace(src_uri="item/x/index.md"), meta={})
        markdown = plugin.on_page_markdown("", page=mkdocs_page, config=None, files=None)
        assert mkdocs_page.meta == {"title": text, "description": text, "gongkai_item": "X/2026-00001", "gongkai_search": True}
        assert markdown == ""  # converted when the page is rendered (on_page_context)

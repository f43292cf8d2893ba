"""Page.source's front matter (now written by libyaml) reads back to exactly the page's data."""
import yaml

from gongkai.site.plan import Page

TRICKY = ["普通标题", "含: 冒号", "# 井号开头", "引号\"和'单引号", "  前后空格  ", "多行\n第二行", "长" * 300,
          "yes", "2026-01-01", "null", "- 列表样", "{花括号}", "a: b: c", "tab\there", "", "~"]


def test_front_matter_round_trips():
    for text in TRICKY:
        page = Page("item/x/index.md", text, "正文", {"description": text, "gongkai_item": "X/2026-00001", "gongkai_search": True})
        front = page.source.split("---\n")[1]
        assert yaml.safe_load(front) == {"title": text, "description": text, "gongkai_item": "X/2026-00001", "gongkai_search": True}
        assert page.source == "---\n" + yaml.safe_dump({"title": text, **page.meta}, allow_unicode=True, sort_keys=True) + "---\n\n正文"

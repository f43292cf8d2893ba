"""The Jinja templates under plugins/gongkai/templates/, for what is rendered outside the theme:
redirect pages, feeds, and a page's content as the link checks read it.

The theme renders the same gk/ templates with the site generator's own Jinja environment;
every gk/ template turns autoescaping on itself, so editor text is escaped in both.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markdown.extensions.toc import slugify, unique
from markupsafe import Markup, escape

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    # The package's own templates do not change while it runs: no stat of the file at every render.
    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, keep_trailing_newline=True, auto_reload=False)


def render(template: str, **data) -> str:
    return environment().get_template(template).render(**data)


class Headings:
    """Gives a page's section headings the ids Python-Markdown's toc extension would (so links
    and the table of contents stay as they were) and keeps them for the table of contents."""

    def __init__(self):
        self.found: list[tuple[int, str, str]] = []
        self.ids: set[str] = set()

    def __call__(self, level: int, title: str) -> str:
        anchor = unique(slugify(str(title), "-"), self.ids)
        self.found.append((level, anchor, str(escape(title))))
        return anchor

    def tokens(self) -> list[dict]:
        """Nested as the toc extension nests them: each heading under the last one of a higher level."""
        root: list[dict] = []
        stack: list[dict] = []
        for level, anchor, name in self.found:
            token = {"level": level, "id": anchor, "name": name, "children": []}
            while stack and stack[-1]["level"] >= level:
                stack.pop()
            (stack[-1]["children"] if stack else root).append(token)
            stack.append(token)
        return root


def page_text(template: str, data: dict, markdown: str, title: str) -> str:
    """A planned page's content with the editor's Markdown in place, unconverted."""
    heading = Markup("<h1>{}</h1>").format(title) if markdown else ""
    return environment().get_template(template).render(**data, heading=Headings(), title_heading=heading, content=Markup(markdown))

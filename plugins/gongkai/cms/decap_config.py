"""The Decap CMS configuration, generated from catalog.yml and core/item_schema.yml.

One collection per leaf column writes into that column's folder; every front-matter field
of the item schema becomes a form field with the schema's Chinese label and fix text as
hint, its value list (from the catalog) as a select, its pattern and lengths as a pattern.
The `review` block has no field: Decap keeps front-matter keys it has no field for, so a
sign-off survives an edit unchanged (and turns stale, because the content changed).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from gongkai.core.catalog import Catalog, Column
from gongkai.core.schema import enum_sources, fix_text, fix_values, raw_schema

FORM_TEXT = Path(__file__).with_name("form_text.yml")

# Fields the form never shows: the sign-off is written by `gongkai sign` only.
NOT_EDITABLE = {"review"}
# Catalog keys of the optional `cms:` block and the backends it may name.
BACKENDS = {"gitlab", "github", "forgejo", "gitea"}
# Where Decap runs the editorial workflow reliably (drafts as merge requests); see docs/cms.md.
WORKFLOW_BACKENDS = {"gitlab", "github"}
DATE_FORMAT = "YYYY-MM-DD"


class CmsConfigError(Exception):
    """A mistake in catalog.yml's `cms:` block, worded for the person who edits it."""


def decap_config(catalog: Catalog, content_dir: str, next_id: str, local_url: str) -> dict:
    """The whole config.yml as data; next_id is the default 索引号 of a new item."""
    config: dict = {
        "locale": "zh_Hans",
        "backend": backend_settings(catalog, local_url),
        "media_folder": content_dir,  # required by Decap; each collection overrides it
        "public_folder": "",
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},  # keep Chinese file names
        "collections": [collection(catalog, column, content_dir, next_id) for column in leaf_columns(catalog)],
    }
    if config["backend"]["name"] in WORKFLOW_BACKENDS:
        config["publish_mode"] = "editorial_workflow"
    # Used when the page is opened from 127.0.0.1 and decap-server answers there (gongkai cms --serve).
    config["local_backend"] = {"url": local_url}
    return config


def backend_settings(catalog: Catalog, local_url: str) -> dict:
    """The git host from catalog.yml's `cms.backend`; without one, the local backend only."""
    block = catalog.raw.get("cms") or {}
    if not isinstance(block, dict):
        raise CmsConfigError("catalog.yml 的 cms 应为一组设置（backend: …），见 docs/cms.md")
    raw = block.get("backend")
    if raw is None:
        return {"name": "proxy", "proxy_url": local_url}
    if not isinstance(raw, dict) or raw.get("name") not in BACKENDS:
        raise CmsConfigError(f"catalog.yml 的 cms.backend.name 应为 {' / '.join(sorted(BACKENDS))} 之一，见 docs/cms.md")
    missing = [key for key in ("repo", "base_url", "app_id") if not raw.get(key)]
    if missing:
        raise CmsConfigError(f"catalog.yml 的 cms.backend 缺少 {'、'.join(missing)}，见 docs/cms.md")
    # Without an editorial workflow every save is a commit to `branch`: a drafts branch, not main.
    default_branch = "main" if raw["name"] in WORKFLOW_BACKENDS else "cms"
    settings = {"name": raw["name"], "repo": str(raw["repo"]), "branch": str(raw.get("branch") or default_branch),
                "base_url": str(raw["base_url"]).rstrip("/"), "app_id": str(raw["app_id"])}
    if raw["name"] == "gitlab":
        settings.update(auth_type="pkce", auth_endpoint="oauth/authorize", api_root=f"{settings['base_url']}/api/v4")
    elif raw["name"] in {"gitea", "forgejo"}:
        settings.update(api_root=f"{settings['base_url']}/api/v1")
    return settings


def leaf_columns(catalog: Catalog) -> list[Column]:
    return [c for c in catalog.all_columns() if not c.children]


def column_folder(content_dir: str, column: Column) -> str:
    return "/".join([content_dir, *(c.code for c in column.path)])


def collection(catalog: Catalog, column: Column, content_dir: str, next_id: str) -> dict:
    names = " / ".join(c.name for c in column.path)
    return {
        "name": column.code,
        "label": names,
        "label_singular": f"{column.name}条目",
        "description": column.description,
        "folder": column_folder(content_dir, column),
        "filter": {"field": "catalog", "value": column.code},
        "create": True,
        "editor": {"preview": False},
        "extension": "md",
        "format": "frontmatter",
        # The file is named after the 索引号 (its "/" becomes "-"): unique as the number is.
        "slug": "{{fields.id}}",
        "identifier_field": "title",
        "summary": "{{title}}（{{id}}，{{published}}）",
        "sortable_fields": ["published", "title", "id"],
        # Attachments go into the item's own folder, as `gongkai check` requires.
        "media_folder": "",
        "public_folder": "",
        "fields": item_fields(catalog, column, next_id) + [{"label": "正文", "name": "body", "widget": "markdown"}],
    }


def item_fields(catalog: Catalog, column: Column, next_id: str) -> list[dict]:
    schema = raw_schema()
    required = set(schema.get("required", [])) | set(column.required_fields)
    values = enum_sources(catalog)
    fields = []
    for name, spec in schema["properties"].items():
        if name in NOT_EDITABLE:
            continue
        fields.append(form_field(name, spec, values, name in required, form_hint(name, catalog, next_id)))
    by_name = {f["name"]: f for f in fields}
    by_name["id"].update(default=next_id, pattern=[catalog.index_pattern.pattern, "：应为 " + next_id.rsplit("-", 1)[0] + "-五位序号"])
    for name in ("created", "published"):  # a new item is formed and published today unless changed
        by_name[name]["default"] = "{{now}}"
    for name in ("disclosure", "validity"):  # the usual case: proactive and in force
        by_name[name]["default"] = by_name[name]["options"][0]
    by_name["catalog"] = {"label": by_name["catalog"]["label"], "name": "catalog", "widget": "hidden", "default": column.code}
    return [by_name[f["name"]] for f in fields]


@lru_cache(maxsize=1)
def form_text() -> dict[str, dict[str, str]]:
    return yaml.safe_load(FORM_TEXT.read_text(encoding="utf-8"))


def form_hint(name: str, catalog: Catalog, next_id: str) -> str:
    hint = form_text()["hints"].get(name)
    return hint.format(next_id=next_id, **fix_values(catalog)) if hint else fix_text(name, catalog)


def form_field(name: str, spec: dict, values: dict[str, list[str]], required: bool, hint: str) -> dict:
    """One Decap field for one schema property."""
    field: dict = {"label": spec.get("x-label", name), "name": name, "required": required}
    if hint:
        field["hint"] = hint
    kind = spec.get("type")
    if kind == "array" and spec.get("items", {}).get("type") == "object":
        field.update(widget="list", fields=sub_fields(name, spec["items"], values))
    elif kind == "object":
        # Decap checks an optional object's required sub-fields even when it is left empty;
        # the whole object is optional here, so its parts are too (gongkai check names what is missing).
        parts = [{**f, "required": False} for f in sub_fields(name, spec, values)]
        field.update(widget="object", collapsed=True, fields=parts)
    elif kind == "array":
        options = values.get(spec.get("items", {}).get("x-enum-from", ""))
        if options:
            field.update(widget="select", multiple=True, options=options)
        else:
            field.update(widget="list", field=scalar_field(name, spec.get("items", {}), values))
        if spec.get("minItems"):
            field["min"] = spec["minItems"]
    else:
        field.update(scalar_field(name, spec, values))
    if not required and "pattern" in field:  # Decap applies the pattern to an emptied field too
        field["pattern"] = ["^$|" + field["pattern"][0], field["pattern"][1]]
    return field


def sub_fields(parent: str, spec: dict, values: dict[str, list[str]]) -> list[dict]:
    labels = form_text()["labels"]
    out = []
    for name, sub in spec.get("properties", {}).items():
        field = {"label": labels.get(name, name), "name": name, "required": name in spec.get("required", [])}
        if parent == "attachments" and name == "file":
            field.update(widget="file", media_folder="", public_folder="", choose_url=False)
        else:
            field.update({**scalar_field(name, sub, values), "label": field["label"]})
        out.append(field)
    return out


def scalar_field(name: str, spec: dict, values: dict[str, list[str]]) -> dict:
    """Widget, options and pattern of a string-valued property."""
    field: dict = {"label": spec.get("x-label", name), "name": name}
    options = values.get(spec.get("x-enum-from", ""))
    if options:
        return {**field, "widget": "select", "options": options}
    if spec.get("format") == "date":
        return {**field, "widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT,
                "time_format": False}
    widget = "text" if (spec.get("maxLength") or 0) >= 200 and name == "summary" else "string"
    field["widget"] = widget
    pattern = length_pattern(spec)
    if pattern:
        field["pattern"] = pattern
    return field


def length_pattern(spec: dict) -> list[str] | None:
    """The schema's pattern or length limits as a Decap [regex, message] pair."""
    if spec.get("pattern"):
        return [spec["pattern"], "：" + _pattern_hint(spec["pattern"])]
    low, high = spec.get("minLength"), spec.get("maxLength")
    if high:
        return [f"^[\\s\\S]{{{low or 0},{high}}}$", f"：应在 {high} 字以内"]
    return None


def _pattern_hint(pattern: str) -> str:
    if "〔" in pattern:
        return "年份用六角括号，以“号”结尾，如 〔2026〕12号"
    if re.search(r"a-z0-9", pattern):
        return "只用小写字母、数字和连字符"
    return pattern

"""Refuse mkdocs.yml settings that could put anything but the planned pages on the site.

    problems = refused_settings(config, allowed_assets)   # [] when the settings are allowed

Only the item being rendered may reach its page. Markdown extensions, plugins, hooks and theme
settings that read other files (pymdownx.snippets, include plugins, macros, hooks, a custom theme
directory, extra templates, scripts or styles) are refused unless listed in site_settings.yml,
the one allow-list; the plugin's on_config turns the messages into a build error.
"""
from __future__ import annotations

from pathlib import Path

import yaml
import yaml.constructor

from gongkai.project import CONTENT_DIR

ALLOW_FILE = Path(__file__).with_name("site_settings.yml")
PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FIX = "请从 mkdocs.yml 中删除；确需使用时，须修改允许清单 plugins/gongkai/adapters/site_settings.yml，作为平台改动由平台负责人和第二位审查人员批准"
PLAIN = (str, int, float, bool, type(None))


def allow_list() -> dict:
    return yaml.safe_load(ALLOW_FILE.read_text(encoding="utf-8"))


def refused_settings(config, allowed_assets: set[str]) -> list[str]:
    """Chinese messages, one per refused setting of a validated MkDocs config."""
    allowed = allow_list()
    root = Path(config.config_file_path).parent
    return [
        *_docs_dir(config, root),
        *_hooks(config),
        *_plugins(config, set(allowed["plugins"])),
        *_extensions(config, set(allowed["markdown_extensions"])),
        *_theme(config, set(allowed["themes"])),
        *_extras(config, allowed_assets),
    ]


class _DataOnlyLoader(yaml.SafeLoader):
    """mkdocs.yml as data: MkDocs' own !ENV and !relative tags, no Python objects."""


_DataOnlyLoader.add_constructor("!ENV", lambda loader, node: None)
_DataOnlyLoader.add_constructor("!relative", lambda loader, node: None)


def refused_before_loading(config_file: Path) -> str | None:
    """What MkDocs would run while it loads mkdocs.yml, before any plugin: PyYAML's full loader
    runs !!python/object tags and `hooks` files are imported. Check the file (and the one it
    INHERITs) as plain data first."""
    seen: set[Path] = set()
    path = config_file
    while path not in seen and path.is_file():
        seen.add(path)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_DataOnlyLoader)
        except yaml.constructor.ConstructorError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
            tag = (exc.problem or "'!!python'").split("'")[1].replace("tag:yaml.org,2002:", "!!")
            return f"{path.name} 第 {line} 行含 Python 代码标记 {tag}：MkDocs 读取时就会执行它。mkdocs.yml 只能是普通数据，请删除这个标记"
        except yaml.YAMLError:
            return None  # MkDocs reports the syntax error itself
        if isinstance(data, dict) and data.get("hooks"):
            return f"{path.name} 的 hooks（{data['hooks']}）：hooks 是任意 Python 代码，MkDocs 读取设置时就会执行，不允许使用。请删除 hooks"
        parent = data.get("INHERIT") if isinstance(data, dict) else None
        if not isinstance(parent, str):
            return None
        path = (path.parent / parent).resolve()
    return None


def missing_plugin(config) -> str | None:
    """Without the gongkai plugin MkDocs would publish every file under content/, signed or not."""
    if "gongkai" in config.plugins:
        return None
    return "mkdocs.yml 的 plugins 中没有 gongkai：没有它，MkDocs 会把 content/ 下的全部文件（包括未签署的条目）原样发布。请在 plugins 中加上 - gongkai"


def _docs_dir(config, root: Path) -> list[str]:
    if Path(config.docs_dir).resolve() == (root / CONTENT_DIR).resolve():
        return []
    return [f"mkdocs.yml 的 docs_dir 是「{config.docs_dir}」：条目目录必须是项目根目录下的 {CONTENT_DIR}/。请改为 docs_dir: {CONTENT_DIR}"]


def _hooks(config) -> list[str]:
    return [f"mkdocs.yml 的 hooks 中有「{name}」：hooks 是任意 Python 代码，可以改动任何页面，不允许使用。请从 mkdocs.yml 中删除 hooks；需要的功能应作为平台改动写进 gongkai" for name in config.hooks]


def _plugins(config, allowed: set[str]) -> list[str]:
    hooks = set(config.hooks)
    return [
        f"mkdocs.yml 的 plugins 中有「{name}」：不在允许的插件清单（{'、'.join(sorted(allowed))}）内，include、macros 一类插件可以把其他文件插入页面。{FIX}"
        for name in config.plugins
        if name not in allowed and name not in hooks
    ]


def _extensions(config, allowed: set[str]) -> list[str]:
    out = []
    for ext in config.markdown_extensions:
        name = ext if isinstance(ext, str) else type(ext).__module__
        short = name.removeprefix("markdown.extensions.")
        if short not in allowed:
            out.append(f"mkdocs.yml 的 markdown_extensions 中有「{name}」：不在允许的扩展清单内（如 pymdownx.snippets 会把其他文件插入页面）。{FIX}")
        elif not _plain(config.mdx_configs.get(name, {})):
            out.append(f"mkdocs.yml 的 markdown_extensions 中「{name}」的选项含代码或路径标记（!!python、!relative）：选项只能是普通的文字、数字和列表。{FIX}")
    return out


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return isinstance(value, PLAIN)


def _theme(config, allowed: set[str]) -> list[str]:
    theme = config.theme
    out = []
    if theme.name not in allowed:
        out.append(f"mkdocs.yml 的 theme.name 是「{theme.name}」：只允许 {'、'.join(sorted(allowed))}。{FIX}")
    if theme.custom_dir and Path(theme.custom_dir).resolve() != PACKAGE_TEMPLATES:
        out.append(f"mkdocs.yml 的 theme.custom_dir 是「{theme.custom_dir}」：自定义模板目录可以把任何文件放进页面，本产品的模板在 plugins/gongkai/templates/。{FIX}")
    for folder in theme.dirs:
        path = Path(folder).resolve()
        if path != PACKAGE_TEMPLATES and not _installed_theme(path) and path != Path(theme.custom_dir or "/").resolve():
            out.append(f"主题模板目录「{folder}」不是本产品或已安装主题的目录。{FIX}")
    return out


def _installed_theme(path: Path) -> bool:
    """A theme directory inside an installed package (site-packages), e.g. material/templates."""
    import material
    import mkdocs

    packages = {Path(material.__file__).resolve().parent, Path(mkdocs.__file__).resolve().parent}
    return any(p == path or p in path.parents for p in packages)


def _extras(config, allowed_assets: set[str]) -> list[str]:
    out = []
    if config.extra_templates:
        out.append(f"mkdocs.yml 的 extra_templates（{'、'.join(map(str, config.extra_templates))}）：额外模板可以读取任何文件，不允许使用。{FIX}")
    for key in ("extra_css", "extra_javascript"):
        for entry in config[key]:
            uri = str(getattr(entry, "path", entry))
            if uri not in allowed_assets:
                out.append(f"mkdocs.yml 的 {key} 中有「{uri}」：只允许本产品自带的样式和脚本（plugins/gongkai/assets/）。{FIX}")
    return out

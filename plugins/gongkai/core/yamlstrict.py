"""A YAML loader that refuses what PyYAML would silently accept."""
from __future__ import annotations

import yaml

from gongkai.core.problems import Problem


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


class StrictLoader(_Base):
    """SafeLoader that rejects duplicate keys (PyYAML keeps the last one silently)."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的字段「{key}」", key_node.start_mark
            )
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: StrictLoader, node: yaml.ScalarNode):
    """A date-shaped value that is no real date (2026-13-01) is a YAML error with a line, not a crash."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(None, None, f"日期「{node.value}」不存在", node.start_mark) from None


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def yaml_problem(path: str, exc: yaml.YAMLError, line_offset: int) -> Problem:
    """Turn a YAML error into an editor-readable problem (line numbers are 1-based)."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc)
    if what.startswith("日期「"):
        return Problem(path, "", what, "写成真实存在的日期 YYYY-MM-DD，如 2026-03-05", line=line)
    return Problem(
        path,
        "",
        f"YAML 格式错误（{what}）",
        "检查该行的缩进、冒号后的空格和引号是否成对；含冒号或 # 的值请用引号括起来",
        line=line,
    )

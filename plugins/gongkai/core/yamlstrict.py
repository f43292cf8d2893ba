"""A YAML loader that refuses what PyYAML would silently accept."""
from __future__ import annotations

import yaml

from gongkai.core.problems import Problem


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
ANCHOR_PROBLEM = "使用了 YAML 锚点或别名（& 或 *）"


def refuse_anchors(text: str) -> None:
    """Raise on any anchor (&x) or alias (*x), found in the event stream before anything is
    composed or constructed, so a 'billion laughs' never expands. Editors never need them.
    Text without & or * cannot hold one: no second pass for ordinary front matter."""
    if "&" not in text and "*" not in text:
        return
    parser = _Base(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise yaml.MarkedYAMLError(None, None, ANCHOR_PROBLEM, event.start_mark)
    finally:
        parser.dispose()


NESTING_LIMIT = 20  # front matter needs three levels (attachments → entry → file); deeper is a mistake or an attack
TOO_DEEP = f"列表或键值映射嵌套超过 {NESTING_LIMIT} 层"


def too_deep(node):
    """The first node nested deeper than NESTING_LIMIT, or None (iteratively: no recursion to exhaust)."""
    stack = [(node, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > NESTING_LIMIT:
            return node
        if isinstance(node, yaml.SequenceNode):
            stack += [(n, depth + 1) for n in node.value]
        elif isinstance(node, yaml.MappingNode):
            stack += [(n, depth + 1) for pair in node.value for n in pair]
    return None


def refuse_deep(node) -> None:
    if node is not None and (deep := too_deep(node)) is not None:
        raise yaml.MarkedYAMLError(None, None, TOO_DEEP, deep.start_mark)


def compose_checked(loader: "StrictLoader", check_depth: bool = True):
    """loader's one document as a node; nesting too deep for the code that walks it is a YAML error."""
    try:
        node = loader.get_single_node()
    except RecursionError:
        raise yaml.MarkedYAMLError(None, None, TOO_DEEP, None) from None
    if check_depth:
        refuse_deep(node)
    return node


class StrictLoader(_Base):
    """SafeLoader that rejects duplicate keys (PyYAML keeps the last one silently), anchors and aliases."""

    def __init__(self, stream):
        if isinstance(stream, bytes):
            stream = stream.decode("utf-8")
        refuse_anchors(stream)
        super().__init__(stream)


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, (str, int, float, bool, type(None))):  # `? [a, b]`: a list or map as a field name
            raise yaml.constructor.ConstructorError(None, None, "字段名必须是文字", key_node.start_mark)
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


# (words in PyYAML's or libyaml's message, words in its context) -> (Chinese message, fix)
_QUOTES_FIX = "给这一行的值补上结尾的引号（单引号 ' 或双引号 \" 要成对）"
_WORDED = [
    ("tab character", "", "使用了制表符（Tab）", "YAML 不允许用 Tab 缩进或对齐：把这一行的 Tab 换成空格"),
    ("unexpected end of stream", "quoted scalar", "引号没有闭合", _QUOTES_FIX),
    ("did not find expected key", "", "缩进不一致，或上一行的值没有写完", "同一层的字段左边对齐（用空格）；列表项以“- ”开头并对齐"),
    ("mapping values are not allowed", "", "这一行多了一个“冒号+空格”，或缩进不对", "值中含冒号时，用引号把整个值括起来；检查这一行是否比上一行多缩进了"),
    ("did not find expected ',' or ']'", "", "方括号 [ ] 列表没有闭合，或列表项之间缺少逗号", "补上右方括号 ]，列表项之间用英文逗号分隔"),
    ("did not find expected ',' or '}'", "", "花括号 { } 没有闭合，或各项之间缺少逗号", "补上右花括号 }，各项之间用英文逗号分隔"),
    ("did not find expected '-' indicator", "", "列表项没有对齐", "同一个列表的每一项以“- ”开头并左边对齐"),
    ("could not find expected ':'", "", "缺少“字段: 值”中的冒号", "写成“字段: 值”（冒号后有一个空格）"),
    ("unknown escape character", "", "双引号中的反斜杠 \\ 不是有效的转义", "把 \\ 写成 \\\\，或改用单引号括起整个值"),
    ("another document", "", "元数据中间出现了 ---", "元数据只在开头和结尾各有一行 ---；删去中间的 ---"),
    ("could not determine a constructor", "", "使用了不支持的 YAML 标签（以 ! 开头）", "删去 ! 开头的标签；需要文字时用引号括起来"),
    ("block sequence entries are not allowed", "", "这里不能开始列表（“- ”）", "列表写在“字段:”的下一行，每项缩进并以“- ”开头"),
    ("cannot start any token", "", "这一行以 YAML 的特殊符号开头（如 @、` 或 %）", "用引号把整个值括起来"),
    ("invalid Unicode", "", "含有无效的 Unicode 字符（\\u 转义）", "删去这个 \\u 转义，或直接写出字符"),
    ("control characters are not allowed", "", "含有不可见的控制字符", "删去该行的特殊字符，或用编辑器另存为 UTF-8 纯文本"),
]


def _worded(what: str, context: str, line_text: str) -> tuple[str, str]:
    if "\t" in line_text and ("token" in what or "tab" in what or "indent" in what):
        return _WORDED[0][2], _WORDED[0][3]
    for words, in_context, message, fix in _WORDED:
        if words in what and in_context in context:
            return message, fix
    return f"无法识别的写法（{what}）", "检查该行的缩进、冒号后的空格和引号是否成对；含冒号或 # 的值请用引号括起来"


def yaml_problem(path: str, exc: yaml.YAMLError, line_offset: int, text: str | None = None) -> Problem:
    """Turn a YAML error into an editor-readable Chinese problem (line numbers are 1-based).
    text, when given, is the YAML the error is about (to see whether the line holds a tab)."""
    mark = getattr(exc, "problem_mark", None)
    what = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    if ("end of stream" in what or "flow" in context) and getattr(exc, "context_mark", None) is not None:
        mark = exc.context_mark  # an unclosed quote or bracket: where it opens, not where the file ends
    line = mark.line + 1 + line_offset if mark is not None else None
    if what.startswith("日期「"):
        return Problem(path, "", what, "写成真实存在的日期 YYYY-MM-DD，如 2026-03-05", line=line)
    if what == "字段名必须是文字":
        return Problem(path, "", f"YAML 格式错误：{what}", "写成“字段: 值”，字段名前不要写 ? 或括号", line=line)
    if what.startswith("重复的字段"):
        return Problem(path, "", what, "每个字段只写一次；删去多余的那一行", line=line)
    if what == TOO_DEEP:
        return Problem(path, "", f"YAML 格式错误：{what}", "通常只需要两三层；检查是否多写了 [、{ 或“- ”", line=line or 1)
    if what == ANCHOR_PROBLEM:
        return Problem(path, "", what, "不要使用 & 和 *：把内容直接写出来；值中含 & 或 * 时用引号把整个值括起来", line=line)
    lines = (text or "").split("\n")
    line_text = lines[mark.line] if mark is not None and text and mark.line < len(lines) else ""
    message, fix = _worded(what, context, line_text)
    return Problem(path, "", f"YAML 格式错误：{message}", fix, line=line)

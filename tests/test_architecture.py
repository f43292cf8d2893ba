"""The package layout is the architecture: data flows one way, and no module imports in a circle."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "gongkai"
# Each layer may import itself and the layers before it, never one after it.
# cms (the web editor's generated config, its folder and local server) sits above site (it renders
# a template) and reports, below adapters and cli, which start it.
LAYERS = ["core", "review", "project", "compliance", "site", "reports", "cms", "adapters", "cli"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["gongkai", *parts])


def imports_of(path: Path) -> set[str]:
    """Every gongkai module this file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("gongkai")}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: use absolute imports (from gongkai.… import …)"
            if node.module and node.module.startswith("gongkai"):
                found.add(node.module)
                found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in files and m != name} for name, path in files.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_belongs_to_a_layer():
    loose = [m for m in graph() if m != "gongkai" and layer(m) is None]
    assert not loose, f"modules outside the layers {LAYERS}: {loose}"


def test_imports_only_flow_downwards():
    upward = [
        f"{source} -> {target}"
        for source, targets in graph().items()
        for target in targets
        if layer(source) is not None and layer(target) is not None and layer(target) > layer(source)
    ]
    assert not upward, "a layer imports a later one:\n" + "\n".join(upward)


def test_no_import_circles():
    edges = graph()
    # A package's __init__ re-exporting its own modules is not a circle back into the package.
    for name in edges:
        edges[name] = {t for t in edges[name] if not name.startswith(t + ".") and not t.startswith(name + ".")}
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                circles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert not circles, "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_the_layer_test_can_fail():
    """The checks above see real edges: the MkDocs plugin imports the site plan."""
    edges = graph()
    assert "gongkai.site.pages" in edges["gongkai.adapters.mkdocs_plugin"]
    assert layer("gongkai.adapters.mkdocs_plugin") > layer("gongkai.site.pages")


MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 60


def test_each_file_and_function_reads_whole():
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(PACKAGE)
        if len(text.splitlines()) > MAX_FILE_LINES:
            too_long.append(f"{rel}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{rel}:{node.lineno} {node.name}(): {length} lines")
    assert not too_long, f"over {MAX_FILE_LINES} lines a file or {MAX_FUNCTION_LINES} a function:\n" + "\n".join(too_long)


def test_no_unused_imports_or_undefined_names():
    """pyflakes over the package and the scripts: a name used but never defined fails only when that
    line runs, and an import nothing uses hides where a module really depends."""
    from pyflakes.api import checkRecursive
    from pyflakes.reporter import Reporter
    import io

    out = io.StringIO()
    found = checkRecursive([str(PACKAGE), str(PACKAGE.parent.parent / "scripts")], Reporter(out, out))
    assert found == 0, out.getvalue()

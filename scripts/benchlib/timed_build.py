"""Run `gongkai build` in this process with stage timers around the plugin's three calls.

    python -m benchlib.timed_build ROOT SITE_DIR OUT.json

The plugin is not edited: its module-level names load_state, plan_site and
index_site are wrapped, so what runs is exactly `gongkai build`. Rendering is the
rest of the wall time (it includes keeping the indexed part of each item page for
Pagefind, site/search.py SearchPages). Writes {"total", "validate", "plan", "render", "index",
"rss_self_kb", "rss_children_kb"} to OUT.json.
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main() -> int:
    root, site, out = sys.argv[1:4]
    start = time.perf_counter()
    from gongkai.cli import main as cli
    from gongkai.adapters import mkdocs_plugin

    spent = {"validate": 0.0, "plan": 0.0, "index": 0.0}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t
        return wrapper

    mkdocs_plugin.load_state = timed("validate", mkdocs_plugin.load_state)
    mkdocs_plugin.plan_site = timed("plan", mkdocs_plugin.plan_site)
    mkdocs_plugin.index_site = timed("index", mkdocs_plugin.index_site)
    code = cli.main(["-C", root, "build", "--site-dir", site])
    total = time.perf_counter() - start
    result = dict(spent, total=total, render=total - sum(spent.values()), code=code,
                  rss_self_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  rss_children_kb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())

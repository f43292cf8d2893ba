"""Run `gongkai build` in this process with stage timers around the plugin's three calls.

    python -m benchlib.timed_build ROOT SITE_DIR OUT.json

The plugin is not edited: its module-level names load_state, plan_site and
index_site are wrapped, so what runs is exactly `gongkai build`. Rendering is the
rest of the wall time (it includes keeping the indexed part of each item page for
Pagefind, site/search.py SearchPages). Pagefind indexes while pages are rendered
(site/search_pipeline.py): "index" is only what is left of it once the last page is written. Writes {"total", "validate", "plan", "render", "index",
"rss_self_kb", "rss_children_kb", "pss_peak_kb"} to OUT.json.

rss_self_kb + rss_children_kb is conservative: the largest child may be the forked rendering
process, whose pages shared with this one count twice. pss_peak_kb (benchlib/pss_sampler.py)
is what the build's processes really held at once.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
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
    handle, pss_file = tempfile.mkstemp(prefix="gongkai-pss-")
    os.close(handle)
    sampler = subprocess.Popen([sys.executable, "-m", "benchlib.pss_sampler", str(os.getpid()), pss_file],
                               cwd=Path(__file__).resolve().parents[1])
    code = cli.main(["-C", root, "build", "--site-dir", site])
    sampler.terminate()
    sampler.wait()
    pss_peak_kb = int(Path(pss_file).read_text() or 0)
    Path(pss_file).unlink()
    total = time.perf_counter() - start
    result = dict(spent, total=total, render=total - sum(spent.values()), code=code,
                  rss_self_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  rss_children_kb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, pss_peak_kb=pss_peak_kb)
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())

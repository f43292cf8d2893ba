"""The editor preview's HTTP server: `gongkai preview` (PreviewSite renders, this serves).

Pages are rendered when the browser asks for them; each carries a small script that
polls VERSION_PATH and reloads the tab when the preview has changed under it.
"""
from __future__ import annotations

import functools
import http.server
import logging
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from gongkai.adapters.builder import BuildFailed
from gongkai.adapters.preview import PreviewSite

log = logging.getLogger("mkdocs.plugins.gongkai")
VERSION_PATH = "/__gongkai__/version"
RELOAD_PATH = "/__gongkai__/reload.js"  # a file, not an inline script: the pages' CSP allows no inline script
RELOAD_JS = (
    "(function(){var v=null;function poll(){fetch('%s').then(function(r){return r.text()})"
    ".then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})"
    ".finally(function(){setTimeout(poll,700)})}poll()})();" % VERSION_PATH
)
RELOAD_SCRIPT = f'<script src="{RELOAD_PATH}"></script>'

def make_handler(preview: PreviewSite):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.startswith(VERSION_PATH):
                return self.send_fresh(str(preview.version).encode(), "text/plain")
            if self.path.startswith(RELOAD_PATH):
                return self.send_fresh(RELOAD_JS.encode(), "text/javascript")
            uri = preview.uri_for(self.path)
            if uri is None:
                return super().do_GET()  # assets, attachments: already on disk
            if not preview.render(uri):
                self.send_error(404)
                return
            html = (preview.site_dir / uri).with_suffix(".html").read_text(encoding="utf-8")
            self.send_fresh(html.replace("</body>", RELOAD_SCRIPT + "</body>").encode("utf-8"), "text/html; charset=utf-8")

        def send_fresh(self, body: bytes, content_type: str) -> None:
            """A 200 response the browser must not cache: the preview changes under it."""
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return functools.partial(Handler, directory=str(preview.site_dir))


def start_preview(root: Path, host: str = "127.0.0.1", port: int = 8000, site_dir: Path | None = None):
    """Set up, start the watcher and the server in threads; return (preview, server, stop event)."""
    site = site_dir or Path(tempfile.mkdtemp(prefix="gongkai-preview-"))
    try:
        preview = PreviewSite(root, site)
    except (Abort, ConfigurationError, PluginError) as exc:  # mkdocs.yml or catalog.yml cannot be used
        if site_dir is None:
            shutil.rmtree(site, ignore_errors=True)
        raise BuildFailed(f"mkdocs.yml 有错误：{exc}" if isinstance(exc, ConfigurationError) else str(exc)) from None
    stop = threading.Event()
    threading.Thread(target=preview.watch, kwargs={"stop": stop}, daemon=True).start()
    server = http.server.ThreadingHTTPServer((host, port), make_handler(preview))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return preview, server, stop


def _interrupt(signum, frame):
    for stop_signal in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):  # once: the clean-up must not be cut short
        signal.signal(stop_signal, signal.SIG_IGN)
    raise KeyboardInterrupt


def serve_preview(root: Path, dev_addr: str | None = None) -> None:
    """Serve until Ctrl+C, a closed terminal (SIGHUP) or a plain kill (SIGTERM); each removes the preview's folder."""
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _interrupt)
    # Ctrl+C as well when started from a script or as a background job: the shell then ignores SIGINT
    # for it, and Python, seeing it ignored at start, sets no handler of its own.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    host, _, port = (dev_addr or "127.0.0.1:8000").rpartition(":")
    site = Path(tempfile.mkdtemp(prefix="gongkai-preview-"))
    server = stop = None
    try:  # from here on, any way out removes the folder, a stop during set-up included
        _, server, stop = start_preview(root, host or "127.0.0.1", int(port), site_dir=site)
        log.info(f"预览地址：http://{host or '127.0.0.1'}:{server.server_address[1]}/ （保存文件后页面自动刷新；Ctrl+C 退出）")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        if stop is not None:
            stop.set()
            server.shutdown()
        shutil.rmtree(site, ignore_errors=True)

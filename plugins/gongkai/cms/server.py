"""`gongkai cms --serve`: the editor on 127.0.0.1 with decap-server as its local backend.

decap-server (Decap's own proxy, pinned in scripts/cms/) reads and writes the project's files;
it listens on 127.0.0.1 only (BIND_HOST). The editor page and its bundle come from a small
static server on 127.0.0.1 that regenerates config.yml on each load, so a new item's default
索引号 is the next free number at the moment the form opens.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from gongkai.cms.editor import SERVER_IN_HOME, EditorError, cms_home

HOST = "127.0.0.1"


class EditorHandler(SimpleHTTPRequestHandler):
    """Static files of the editor folder; config.yml fresh from the catalog on every request."""

    config: Callable[[], str]

    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path.split("?", 1)[0] == "/config.yml":
            body = self.config().encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/yaml; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format, *args):  # quiet: the editor loads dozens of chunks
        pass


class EditorServer:
    """The running editor: page server plus decap-server; stop() ends both."""

    def __init__(self, root: Path, editor_dir: Path, config: Callable[[], str], page_port: int, backend_port: int):
        self.backend = start_backend(root, backend_port)
        handler = type("Handler", (EditorHandler,), {"config": staticmethod(config)})
        try:
            self.httpd = ThreadingHTTPServer((HOST, page_port), partial(handler, directory=str(editor_dir)))
        except OSError as exc:
            self.backend.terminate()
            raise EditorError(f"编辑器无法使用端口 {page_port}（{exc.strerror}），请用 --port 换一个") from None
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://{HOST}:{self.httpd.server_address[1]}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.backend.terminate()
        try:
            self.backend.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.backend.kill()


def start_backend(root: Path, port: int) -> subprocess.Popen:
    """decap-server in file-system mode on 127.0.0.1:port, writing into the project at root."""
    script = cms_home(root) / SERVER_IN_HOME
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None or not script.is_file():
        raise EditorError(f"找不到本地编辑后端 decap-server（{script}）或 node。请运行 bash scripts/setup.sh --cms 安装")
    env = {**os.environ, "BIND_HOST": HOST, "PORT": str(port), "MODE": "fs", "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
    process = subprocess.Popen([node, str(script)], cwd=str(root), env=env, stdin=subprocess.DEVNULL)
    try:
        return _wait_until_listening(process, port)
    except BaseException:  # includes Ctrl+C while waiting: never leave decap-server behind
        process.kill()
        raise


def _wait_until_listening(process: subprocess.Popen, port: int) -> subprocess.Popen:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditorError(f"本地编辑后端 decap-server 启动失败（退出码 {process.returncode}）；端口 {port} 可能已被占用，请用 --backend-port 换一个")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise EditorError(f"本地编辑后端 decap-server 在 20 秒内没有在 {HOST}:{port} 上响应")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]

"""Checks on what the operator typed, before anything runs: Chinese errors naming the option and the fix."""
from __future__ import annotations

import argparse
import errno
import ipaddress
import re
import socket
import sys
from pathlib import Path

from gongkai.project import CATALOG_FILE

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
MKDOCS_FILE = "mkdocs.yml"


class ArgumentProblem(Exception):
    """A bad argument or a missing project; its text is the whole Chinese message."""


def require_project(root: Path, given: bool, *files: str) -> None:
    """The project folder must hold catalog.yml (and the other files the command needs)."""
    where = f"-C 指定的 {root}" if given else f"当前文件夹 {Path.cwd()} 及其上级文件夹"
    if not root.is_dir():
        raise ArgumentProblem(f"错误：-C 指定的项目文件夹 {root} 不存在或不是文件夹；请写项目文件夹（含 {CATALOG_FILE} 的文件夹）的路径")
    for name in (CATALOG_FILE, *files):
        if not (root / name).is_file():
            raise ArgumentProblem(
                f"错误：{where}中没有 {name}，这里不是 gongkai 项目；"
                f"请先进入项目文件夹（含 {CATALOG_FILE} 和 {MKDOCS_FILE} 的文件夹）再运行，或用 gongkai -C 项目文件夹 …"
            )


def parse_dev_addr(text: str | None) -> tuple[str, int]:
    """--dev-addr as (host, port): 地址:端口, :端口 or 端口; the host an IPv4 address or localhost
    (the preview's server listens on IPv4 only)."""
    if text is None:
        return DEFAULT_HOST, DEFAULT_PORT
    host, _, port_text = text.strip().rpartition(":")
    host = host or DEFAULT_HOST
    example = f"请写成 地址:端口，如 --dev-addr {DEFAULT_HOST}:8001"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ArgumentProblem(f"错误：--dev-addr「{text}」中的端口「{port_text}」无效，端口应是 1–65535 之间的数字；{example}")
    if host != "localhost":
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise ArgumentProblem(f"错误：--dev-addr「{text}」中的地址「{host}」不是 IPv4 地址或 localhost；{example}") from None
    return host, int(port_text)


def address_in_use(exc: OSError, host: str, port: int) -> ArgumentProblem:
    """The message for a server that could not listen on host:port."""
    other = f"--dev-addr {host}:{port % 65535 + 1}"
    reasons = {
        errno.EADDRINUSE: f"端口已被其他程序占用；请换一个端口，如 {other}，或先关闭占用它的程序",
        errno.EADDRNOTAVAIL: f"本机没有地址 {host}；请用 {DEFAULT_HOST}（只在本机访问）或本机网卡的地址",
        errno.EACCES: f"没有权限使用这个端口（1024 以下的端口需要管理员权限）；请换一个端口，如 --dev-addr {host}:8000",
    }
    reason = reasons.get(exc.errno, f"无法监听（{exc.strerror or exc}）；请换一个地址或端口，如 {other}")
    return ArgumentProblem(f"错误：--dev-addr {host}:{port} 无法使用：{reason}")


def check_bindable(host: str, port: int) -> None:
    """Fail now, with a Chinese message, if a server cannot listen on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise address_in_use(exc, host, port) from None


# argparse's own messages (Python 3.11 wording) -> Chinese; anything else is shown as argparse wrote it.
_ARGPARSE_WORDING = [
    (re.compile(r"the following arguments are required: (.+)"), r"缺少必须写的参数：\1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"), r"参数 \1 的值 \2 不在可选范围内（可选：\3）"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.+)"), r"参数 \1 的值 \3 不是有效的 \2"),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面要写一个值"),
    (re.compile(r"argument (\S+): expected at least one argument"), r"参数 \1 后面至少要写一个值"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), r"参数 \1 不明确，可能是：\2"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors in Chinese (the help texts are ours already)."""

    def error(self, message: str):
        for pattern, chinese in _ARGPARSE_WORDING:
            if pattern.fullmatch(message):
                message = pattern.sub(chinese, message).replace("有效的 int", "整数").replace("有效的 float", "数字")
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}；用 {self.prog} -h 查看用法\n")

"""Fixtures for the confidentiality-review tests: throwaway projects in tmp dirs."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PREFIX = "11999900MB1234567Q"
TODAY = "2026-11-25"


def make_project(tmp: Path) -> Path:
    """A project with the repository's catalog.yml, mkdocs.yml, .gitignore (caches stay out of commits),
    reviewer roster and an empty content/."""
    root = tmp / "proj"
    (root / "content").mkdir(parents=True)
    for name in ("catalog.yml", "mkdocs.yml", ".gitignore"):
        shutil.copy(REPO / name, root / name)
    copy_roster(root)
    return root


def copy_roster(root: Path) -> None:
    """The sample roster (reviewers/roster-*.yml), without the sample private keys."""
    (root / "reviewers").mkdir(exist_ok=True)
    for path in (REPO / "reviewers").glob("roster-*.yml"):
        shutil.copy(path, root / "reviewers" / path.name)


def sample_key(reviewer: str) -> Path | None:
    """The fictional reviewer's SAMPLE-ONLY private key in the repository, if there is one."""
    found = [p for p in (REPO / "reviewers" / "sample-keys").glob(f"SAMPLE-ONLY-{reviewer}.*") if p.suffix != ".pub"]
    return found[0] if found else None


def edit_catalog(root: Path, change) -> None:
    path = root / "catalog.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_item(root: Path, key: str, title: str, body: str = "正文。", column: str = "gzdt", folder: str | None = None, stem: str | None = None, **meta) -> Path:
    """Write content/<folder>/<key>.md (key is the part after the prefix, e.g. 2026-00501)."""
    fields = {
        "id": f"{PREFIX}/{key}",
        "title": title,
        "catalog": column,
        "topics": ["政务公开"],
        "created": "2026-11-01",
        "published": "2026-11-02",
        "disclosure": "主动公开",
        "validity": "有效",
        "summary": f"{title}的概述。",
    }
    fields.update(meta)
    path = root / "content" / (folder or column) / f"{stem or key}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
    return path


def gongkai(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "GONGKAI_BUILD_DATE": TODAY, **(env or {})}
    exe = Path(os.sys.executable).with_name("gongkai")
    return subprocess.run([str(exe), "-C", str(root), *args], capture_output=True, text=True, env=full_env)


def sign_in_process(item, catalog, reviewer: str = "周立衡", decision: str = "同意公开", today=None) -> None:
    """What `gongkai sign` writes, with the reviewer's sample key, without a subprocess (fixtures)."""
    from datetime import date as _date

    from gongkai.review.signing.keys import load_signer
    from gongkai.review.signing.sign import sign_item

    sign_item(item, catalog, load_signer(sample_key(reviewer)), reviewer, decision, today or _date.fromisoformat(TODAY))


def sign(root: Path, path: Path, reviewer: str = "周立衡", decision: str | None = None) -> None:
    """`gongkai sign` with the reviewer's sample key."""
    key = sample_key(reviewer)
    args = ["sign", str(path), "--reviewer", reviewer] + (["--decision", decision] if decision else []) + (["--key", str(key)] if key else [])
    result = gongkai(root, *args)
    assert result.returncode == 0, result.stdout + result.stderr


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T10:00:00+08:00"
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def init_repo(root: Path, date: str = "2026-11-01") -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start", date=date)


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


def tree_texts(site: Path):
    """(path, text) for every file in a built site, gzip members decompressed."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", errors="ignore")


def tree_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def make_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF with ASCII text lines (Helvetica), enough for pypdf to extract."""
    content = "BT /F1 12 Tf 50 750 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


def make_docx(path: Path, paragraphs: list[str], header: str | None = None) -> Path:
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    doc.save(str(path))
    return path


def status(root: Path, *extra: str) -> dict:
    """`gongkai review-status --base main --json`: the report, checked to agree with the exit code."""
    result = gongkai(root, "review-status", "--base", "main", "--json", *extra)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] == (result.returncode == 0)
    return report

"""Generate a realistic synthetic bureau of N items into a fresh project directory.

Deterministic for a given (n, seed). Items are signed in-process with the core's
own digest function, so the gate publishes them exactly as it would real ones.
"""
from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

from gongkai.core.catalog import load_catalog
from gongkai.core.digest import content_digest
from gongkai.core.items import parse_item
from gongkai.review.signing.keys import load_signer
from gongkai.review.signing.signoff import statement_for
from gongkai.review.signing.statement import SIGNOFF_NAMESPACE

from . import words as W

TODAY = date(2026, 11, 25)
FIRST_DAY = TODAY - timedelta(days=3650)  # ten years of history
REVIEWERS = ["周立衡", "林书雅"]  # their SAMPLE-ONLY keys (ed25519, ECDSA) sign deterministically; SM2 does not
AUTHORS = ["王晓燕", "陈志远", "李明哲", "赵静怡", "孙浩然", "吴佳琪"]
CN_NUMS = "一二三四五六七八九十"

# Relative share of items per leaf column: news and notices dominate a real bureau.
COLUMN_WEIGHTS = {"gzdt": 34, "tzgg": 15, "zdxm": 8, "fgwj": 7, "gljy": 5, "zcjd": 5, "zhidu": 3, "zxzj": 4,
                  "yjs": 2, "sgjf": 2, "dangjian": 4, "qzqd": 2, "ldfg": 1, "zhinan": 1, "ysqgk": 2, "nianbao": 1, "jdbz": 2}
# Topics a column's items usually carry (first choice); others appear at random.
COLUMN_TOPICS = {"gljy": "公路建设与养护", "dangjian": "党的建设", "yjs": "财政资金", "sgjf": "财政资金", "zxzj": "财政资金",
                 "zdxm": "公路建设与养护", "fgwj": "法治政府建设", "qzqd": "法治政府建设", "ldfg": "机构与人事",
                 "zhinan": "政务公开", "zhidu": "政务公开", "ysqgk": "政务公开", "nianbao": "政务公开", "jdbz": "政务公开"}
POLICY_COLUMNS = {"fgwj", "gljy", "zhidu"}  # what 政策解读 interprets


def subject(rng: random.Random, topics: list[str]) -> str:
    """Mostly the item's own topics, sometimes any topic (documents cross-reference)."""
    pool = W.TOPIC_OBJECTS[rng.choice(topics)] if rng.random() < 0.85 else W.TOPIC_OBJECTS[rng.choice(list(W.TOPIC_OBJECTS))]
    return rng.choice(pool)


def sentence(rng: random.Random, topics: list[str]) -> str:
    kind = rng.random()
    if kind < 0.4:
        s = f"{rng.choice(W.SUBJECTS)}{rng.choice(W.ADVERBS)}{rng.choice(W.VERBS)}{subject(rng, topics)}，{rng.choice(W.OUTCOMES)}"
    elif kind < 0.7:
        s = f"{rng.choice(W.PLACES)}{subject(rng, topics)}完成{rng.randint(2, 980)}{rng.choice(W.NUMBERS_UNITS)}，同比增长{rng.randint(1, 40)}.{rng.randint(0, 9)}%"
    else:
        s = f"{rng.choice(W.VERBS)}{subject(rng, topics)}和{subject(rng, topics)}，{rng.choice(W.ADVERBS)}{rng.choice(W.VERBS)}{subject(rng, topics)}"
    return rng.choice(W.CONNECTORS) + s + "。"


def paragraph(rng: random.Random, chars: int, topics: list[str]) -> str:
    out = ""
    while len(out) < chars:
        out += sentence(rng, topics)
    return out


def body_text(rng: random.Random, length: int, topics: list[str]) -> str:
    parts, written, n = [], 0, 0
    parts.append(paragraph(rng, min(length, rng.randint(80, 200)), topics))
    written += len(parts[0])
    while written < length:
        if n < len(CN_NUMS) and rng.random() < 0.5:
            parts.append(f"## {CN_NUMS[n]}、{rng.choice(W.HEADINGS)}")
            n += 1
        para = paragraph(rng, rng.randint(120, 400), topics)
        parts.append(para)
        written += len(para)
    return "\n\n".join(parts) + "\n"


def body_length(rng: random.Random) -> int:
    # Most items a few hundred characters, a long tail up to a few thousand.
    return int(min(4000, max(300, rng.lognormvariate(6.6, 0.6))))


def generate(root: Path, n: int, seed: int = 20261125, repo: Path | None = None) -> dict:
    """Create root/ with catalog.yml, mkdocs.yml and n items under content/. Returns counts."""
    repo = repo or Path(__file__).resolve().parents[2]
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    for name in ("catalog.yml", "mkdocs.yml"):
        shutil.copy(repo / name, root / name)
    (root / "reviewers").mkdir()
    for roster in (repo / "reviewers").glob("roster-*.yml"):
        shutil.copy(roster, root / "reviewers" / roster.name)
    keys = [p for p in (repo / "reviewers" / "sample-keys").glob("SAMPLE-ONLY-*") if p.suffix != ".pub"]
    signers = {name: load_signer(next(p for p in keys if p.name.startswith(f"SAMPLE-ONLY-{name}."))) for name in REVIEWERS}
    catalog = load_catalog(root / "catalog.yml", root)
    rng = random.Random(seed)
    leaves = [c for c in catalog.all_columns() if not c.children]
    weights = [COLUMN_WEIGHTS.get(c.code, 1) for c in leaves]
    topic_names = [t.name for t in catalog.topics]
    doc_types = catalog.doc_types
    serial: dict[int, int] = {}
    doc_serial: dict[tuple[str, int], int] = {}  # 文号 are unique: one sequence per kind and year
    policy_ids: list[str] = []
    all_ids: list[str] = []
    counts = {"items": 0, "attachments": 0, "unsigned": 0, "repealed": 0}
    # Make sure every leaf column and topic is used at least once.
    forced_columns = list(leaves)
    for i in range(n):
        column = forced_columns.pop() if forced_columns else rng.choices(leaves, weights)[0]
        created = FIRST_DAY + timedelta(days=rng.randint(0, 3640))
        published = min(TODAY, created + timedelta(days=rng.randint(0, 10)))
        serial[created.year] = serial.get(created.year, 0) + 1
        item_id = f"{catalog.index_prefix}/{created.year}-{serial[created.year]:05d}"
        doc_type = "动态" if column.code == "gzdt" else "解读" if column.code == "zcjd" else rng.choice(doc_types)
        if i < len(topic_names):
            topics = [topic_names[i]]
        else:
            first = COLUMN_TOPICS.get(column.code) or rng.choice(topic_names)
            topics = [first] + ([rng.choice([t for t in topic_names if t != first])] if rng.random() < 0.3 else [])
        obj = subject(rng, topics[:1])
        title = f"{TITLE_PREFIX(rng, created)}{obj}{W.TITLE_TAILS.get(doc_type, '有关情况')}"
        lines = [
            "---",
            f"id: {item_id}",
            f"title: {title}",
            f"catalog: {column.code}",
            f"topics: [{', '.join(topics)}]",
        ]
        if "doc_no" in column.required_fields or rng.random() < 0.2:
            kind = rng.choice(["发", "办", "函"])
            doc_serial[(kind, created.year)] = doc_serial.get((kind, created.year), 0) + 1
            lines.append(f"doc_no: {catalog.agency.get('doc_no_prefix', '')}{kind}〔{created.year}〕{doc_serial[(kind, created.year)]}号")
        if column.code == "zcjd":
            target = rng.choice(policy_ids) if policy_ids else None
            if target is None:  # nothing to interpret yet: fall back to a notice column
                lines[3] = "catalog: tzgg"
            else:
                lines.append(f"interprets: {target}")
        lines.append(f"doc_type: {doc_type}")
        lines.append(f"created: {created.isoformat()}")
        lines.append(f"published: {published.isoformat()}")
        lines.append("disclosure: 主动公开")
        repealed = rng.random() < 0.02
        lines.append(f"validity: {'已废止' if repealed else '有效'}")
        if repealed and all_ids and rng.random() < 0.5:
            lines.append(f"replaced_by: {rng.choice(all_ids)}")
        counts["repealed"] += repealed
        summary = paragraph(rng, rng.randint(40, 120), topics)[:190]
        lines.append(f"summary: {summary}")
        if rng.random() < 0.5:
            lines.append(f"keywords: [{subject(rng, topics)}, {rng.choice(W.PLACES)}]")
        author = rng.choice(AUTHORS)
        lines.append(f"author: {author}")
        folder = root / "content" / Path(*[c.code for c in column.path]) if not lines[3].endswith("tzgg") else root / "content" / "tzgg"
        folder.mkdir(parents=True, exist_ok=True)
        key = item_id.rsplit("/", 1)[1]
        if rng.random() < 0.10:
            lines.append("attachments:")
            for k in range(rng.choice([1, 1, 2])):
                ext = rng.choice(["pdf", "pdf", "docx", "xlsx"])
                name = f"{key}-附件{k + 1}.{ext}"
                att_title = f"附件{k + 1}：{subject(rng, topics)}{rng.choice(['统计表', '申请表', '实施细则', '项目清单'])}"
                (folder / name).write_bytes(attachment_bytes(rng, ext, att_title, key))
                lines.append(f"  - {{file: {name}, title: {att_title}}}")
                counts["attachments"] += 1
        head = "\n".join(lines)
        text = head + "\n---\n\n" + body_text(rng, body_length(rng), topics)
        path = folder / f"{key}.md"
        if rng.random() < 0.03:
            counts["unsigned"] += 1
        else:
            item = parse_item(path, root, text=text)
            assert not item.parse_problems, item.parse_problems
            reviewer = rng.choice(REVIEWERS)
            fields = {"reviewer": reviewer, "date": published.isoformat(), "decision": "同意公开", "digest": content_digest(item), "key": signers[reviewer].public.fingerprint}
            fields["signature"] = signers[reviewer].sign(statement_for(item.id, fields), SIGNOFF_NAMESPACE)
            review = "review:  # 保密审查签署：由 gongkai sign 生成，请勿手工修改\n" + "\n".join(f"  {k}: {v}" for k, v in fields.items())
            text = head + "\n" + review + "\n---\n\n" + body_text_tail(text)
        path.write_text(text, encoding="utf-8")
        all_ids.append(item_id)
        if column.code in POLICY_COLUMNS:
            policy_ids.append(item_id)
        counts["items"] += 1
    return counts


def attachment_bytes(rng: random.Random, ext: str, title: str, key: str) -> bytes:
    """A small but valid file of the kind (the build reads attachments to check them for sensitive data)."""
    if ext == "docx":
        import docx

        doc = docx.Document()
        doc.add_heading(title, level=1)
        for _ in range(rng.randint(2, 6)):
            doc.add_paragraph(paragraph(rng, rng.randint(60, 200), list(W.TOPIC_OBJECTS)[:3]))
        out = io.BytesIO()
        doc.save(out)
        return reproducible_zip(out.getvalue())
    if ext == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["序号", "项目", "地点", "数量", "金额（万元）"])
        for row in range(rng.randint(5, 60)):
            sheet.append([row + 1, rng.choice(W.TOPIC_OBJECTS[rng.choice(list(W.TOPIC_OBJECTS))]), rng.choice(W.PLACES), rng.randint(1, 500), round(rng.uniform(1, 900), 2)])
        out = io.BytesIO()
        book.save(out)
        return reproducible_zip(out.getvalue())
    return minimal_pdf(f"Attachment {key}: table of figures, page 1", rng.randbytes(rng.randint(4_000, 40_000)))


def reproducible_zip(data: bytes) -> bytes:
    """Office files carry the time they were saved (zip entries, docProps/core.xml): pin it, so
    the same seed gives the same bytes and the same signatures."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", b"2026-01-01T00:00:00Z", content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def minimal_pdf(text: str, padding: bytes) -> bytes:
    """A one-page PDF whose text pypdf can extract, padded with an unreferenced binary stream."""
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(padding) + padding + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def body_text_tail(text: str) -> str:
    return text.split("\n---\n\n", 1)[1]


def TITLE_PREFIX(rng: random.Random, created: date) -> str:  # noqa: N802
    return rng.choice([f"关于{created.year}年", "关于进一步", "关于", f"{rng.choice(W.PLACES)}", f"{created.year}年度"])

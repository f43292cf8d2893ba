"""Reproducible builds: one pinned date for the gate and for MkDocs, and a Pagefind bundle
that is the same bytes every time.

GONGKAI_BUILD_DATE pins the gate's "today"; MkDocs dates the sitemap and the
gzip header of sitemap.xml.gz from SOURCE_DATE_EPOCH. Pinning the first pins
the second (unless it is set explicitly).

Pagefind 1.5 writes each filter's values, the meta index's list of filters and
of sorts, and the entry file's languages in hash-map order, which changes from
run to run: same bytes, other order, so other file names (a content hash), so
another meta file and entry file. canonical_bundle() puts them in sorted order
and names the files as Pagefind does (Pagefind ≥ 1.6 sorts them itself, under
the same names, and is left alone). Pagefind also numbers pages in the order it walks the
folder; sorted_creation_order() makes that order the sorted one on file systems
that list a folder in the order it was filled (tmpfs, btrfs, small ext4 folders),
where the second rendering process would otherwise interleave its pages at random.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from datetime import datetime, time, timezone
from pathlib import Path

import cbor2

from gongkai.project import BUILD_DATE_ENV, build_date

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
SIGNATURE = b"pagefind_dcd"  # what a Pagefind index file starts with, once gunzipped
ENTRY_FILE = "pagefind-entry.json"
META_FILTERS, META_SORTS = 3, 4  # fields of Pagefind's meta index (a CBOR array)


def pin_source_date_epoch() -> None:
    if os.environ.get(BUILD_DATE_ENV) and not os.environ.get(SOURCE_DATE_EPOCH):
        midnight = datetime.combine(build_date(), time(0), tzinfo=timezone.utc)
        os.environ[SOURCE_DATE_EPOCH] = str(int(midnight.timestamp()))


def sorted_creation_order(folder: Path) -> None:
    """Re-create folder's files (same paths) one by one in sorted order."""
    scratch = folder.with_name(folder.name + ".unsorted")
    folder.rename(scratch)
    folder.mkdir()
    for path in sorted(p for p in scratch.rglob("*") if p.is_file()):
        target = folder / path.relative_to(scratch)
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
    shutil.rmtree(scratch)


def canonical_bundle(bundle: Path) -> None:
    """Rewrite the filter files, the meta index and the entry file of a Pagefind bundle in sorted order."""
    entry_file = bundle / ENTRY_FILE
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    if _version(entry.get("version", "")) >= (1, 6):
        return  # sorted by Pagefind itself: the names are the same, its gzip bytes stay
    for language, info in entry["languages"].items():
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_file)
        filters = {name: _read(bundle / "filter" / f"{key}.pf_filter") for name, key in meta[META_FILTERS]}
        for _, key in meta[META_FILTERS]:
            (bundle / "filter" / f"{key}.pf_filter").unlink()
        meta[META_FILTERS] = []
        for name in sorted(filters):
            index = filters[name]
            index[1].sort(key=lambda value: value[0])  # [[value, [page numbers]], …]
            key = _write(bundle / "filter", index, language, 7, ".pf_filter", taken={k for _, k in meta[META_FILTERS]})
            meta[META_FILTERS].append([name, key])
        meta[META_SORTS].sort(key=lambda sort: sort[0])
        meta_file.unlink()
        info["hash"] = _write(bundle, meta, language, len(language) + 8, ".pf_meta", prefix="pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _version(text: str) -> tuple[int, ...]:
    numbers = []
    for part in text.split("-")[0].split("."):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers)


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind index file")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, value, language: str, digits: int, suffix: str, prefix: str = "", taken=frozenset()) -> str:
    """Write value as Pagefind does (CBOR after the signature, gzipped) under its content-hash name."""
    encoded = cbor2.dumps(value)
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(encoded).digest())  # Pagefind's {:x?}: no zero padding
    length = len(language) + 1 + digits
    key = f"{language}_{digest}"[:length]
    while key in taken and length < len(language) + 1 + len(digest):  # Pagefind's collision rule: one more digit
        length += 1
        key = f"{language}_{digest}"[:length]
    (folder / f"{prefix}{key}{suffix}").write_bytes(gzip.compress(SIGNATURE + encoded, compresslevel=9, mtime=0))
    return key

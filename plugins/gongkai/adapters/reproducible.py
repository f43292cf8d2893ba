"""Reproducible builds: one pinned date for the gate and for MkDocs, and a Pagefind bundle
that is the same bytes every time, on every machine.

GONGKAI_BUILD_DATE pins the gate's "today"; MkDocs dates the sitemap and the
gzip header of sitemap.xml.gz from SOURCE_DATE_EPOCH. Pinning the first pins
the second (unless it is set explicitly).

Pagefind's bundle is not reproducible by itself: 1.5 writes each filter's values, the
list of filters and of sorts, and the languages in hash-map order, which changes from run
to run (same bytes, other order, so other content-hash file names, so another meta and
entry file). Every build rewrites those in sorted order (cheap). Pages are numbered in a
fixed order already: site/search.py gives them to Pagefind sorted by path. Files are
named as Pagefind names them; word index and fragments are left as written.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from datetime import datetime, time, timezone
from pathlib import Path

import cbor2

from gongkai.project import BUILD_DATE_ENV, build_date

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
SIGNATURE = b"pagefind_dcd"  # what a Pagefind index file starts with, once gunzipped
ENTRY_FILE = "pagefind-entry.json"
META_FILTERS, META_SORTS = 3, 4  # fields of the meta index (a CBOR array)
SHORT_HASH = 7  # hex digits in a filter file name
COMPRESS_LEVEL = 6  # zlib's default


def pin_source_date_epoch() -> None:
    if os.environ.get(BUILD_DATE_ENV) and not os.environ.get(SOURCE_DATE_EPOCH):
        midnight = datetime.combine(build_date(), time(0), tzinfo=timezone.utc)
        os.environ[SOURCE_DATE_EPOCH] = str(int(midnight.timestamp()))


def canonical_bundle(bundle: Path) -> None:
    """Rewrite a Pagefind bundle's filter files, meta index and entry file in sorted order."""
    entry_file = bundle / ENTRY_FILE
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_file)
        meta[META_SORTS].sort(key=lambda sort: sort[0])
        _rewrite_filters(bundle / "filter", meta, language)
        meta_file.unlink()
        info["hash"] = _write(bundle, meta, language, len(language) + 8, ".pf_meta", prefix="pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _rewrite_filters(folder: Path, meta: list, language: str) -> None:
    """Filter files: [filter, [[value, [page numbers]]]], values and filters in sorted order."""
    filters = {name: _take(folder / f"{key}.pf_filter") for name, key in meta[META_FILTERS]}
    meta[META_FILTERS] = []
    for name in sorted(filters):
        index = filters[name]
        index[1] = sorted([value, sorted(pages)] for value, pages in index[1])
        key = _write(folder, index, language, SHORT_HASH, ".pf_filter", taken={k for _, k in meta[META_FILTERS]})
        meta[META_FILTERS].append([name, key])


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind index file")
    return cbor2.loads(data[len(SIGNATURE):])


def _take(path: Path):
    """Read an index file and remove it (its rewritten form gets a new name)."""
    value = _read(path)
    path.unlink()
    return value


def _write(folder: Path, value, language: str, digits: int, suffix: str, prefix: str = "", taken=frozenset()) -> str:
    """Write value as Pagefind does (CBOR after the signature, gzipped) under its content-hash name."""
    encoded = cbor2.dumps(value)
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(encoded).digest())  # Pagefind's {:x?}: no zero padding
    length = len(language) + 1 + digits
    key = f"{language}_{digest}"[:length]
    while key in taken and length < len(language) + 1 + len(digest):  # a clash: one more digit, as Pagefind does
        length += 1
        key = f"{language}_{digest}"[:length]
    (folder / f"{prefix}{key}{suffix}").write_bytes(gzip.compress(SIGNATURE + encoded, compresslevel=COMPRESS_LEVEL, mtime=0))
    return key

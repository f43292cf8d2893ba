"""Reproducible builds: one pinned date for the gate and for MkDocs, and a Pagefind bundle
that is the same bytes every time, on every machine.

GONGKAI_BUILD_DATE pins the gate's "today"; MkDocs dates the sitemap and the
gzip header of sitemap.xml.gz from SOURCE_DATE_EPOCH. Pinning the first pins
the second (unless it is set explicitly).

Pagefind's bundle is not reproducible by itself:
- 1.5 writes each filter's values, the list of filters and of sorts, and the
  languages in hash-map order, which changes from run to run (same bytes, other
  order, so other content-hash file names, so another meta and entry file);
  1.6 sorts these itself.
- Both number pages in the order they list the folder: the order of creation on
  tmpfs (where the two rendering processes interleave at random), hash order on
  ext4 (stable on one disk, different on the next machine).
Every build rewrites filters, sorts, meta index and entry file in sorted order (cheap).
A build meant to be reproduced (GONGKAI_BUILD_DATE or SOURCE_DATE_EPOCH set; without
them sitemap.xml.gz carries the time anyway) also renumbers pages by their fragment's
name (a hash of the page's content) and rewrites the word index, at a CPU cost of the
order of Pagefind's own run: the same bytes on any machine and file system. Files are
named as Pagefind names them; fragments are left as written.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from datetime import datetime, time, timezone
from itertools import groupby
from pathlib import Path

import cbor2

from gongkai.project import BUILD_DATE_ENV, build_date

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
SIGNATURE = b"pagefind_dcd"  # what a Pagefind index file starts with, once gunzipped
ENTRY_FILE = "pagefind-entry.json"
META_PAGES, META_CHUNKS, META_FILTERS, META_SORTS = 1, 2, 3, 4  # fields of the meta index (a CBOR array)
SHORT_HASH = 7  # hex digits in a word-index or filter file name
COMPRESS_LEVEL = 6  # zlib's default: at 2,000 items the rewrite takes 4.2 s CPU instead of 6.5 s at level 9, for a 1.3% larger word index


def pin_source_date_epoch() -> None:
    if os.environ.get(BUILD_DATE_ENV) and not os.environ.get(SOURCE_DATE_EPOCH):
        midnight = datetime.combine(build_date(), time(0), tzinfo=timezone.utc)
        os.environ[SOURCE_DATE_EPOCH] = str(int(midnight.timestamp()))


def canonical_bundle(bundle: Path, renumber: bool | None = None) -> None:
    """Rewrite a Pagefind bundle's index files in sorted order; with renumber (by default: when
    the build date is pinned) in the page order of their fragments' names too."""
    if renumber is None:
        renumber = bool(os.environ.get(BUILD_DATE_ENV) or os.environ.get(SOURCE_DATE_EPOCH))
    entry_file = bundle / ENTRY_FILE
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_file)
        order = list(range(len(meta[META_PAGES])))
        if renumber:
            order.sort(key=lambda page: meta[META_PAGES][page][0])  # by fragment name
        new_number = [0] * len(order)
        for new, old in enumerate(order):
            new_number[old] = new
        if renumber:
            _renumber_sorts(bundle, meta, new_number)
            meta[META_PAGES] = [meta[META_PAGES][old] for old in order]
            _rewrite_chunks(bundle / "index", meta, language, new_number)
        meta[META_SORTS].sort(key=lambda sort: sort[0])
        _rewrite_filters(bundle / "filter", meta, language, new_number)
        meta_file.unlink()
        info["hash"] = _write(bundle, meta, language, len(language) + 8, ".pf_meta", prefix="pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _rewrite_chunks(folder: Path, meta: list, language: str, new_number: list[int]) -> None:
    """Word index chunks: [[word, pages, variants]], pages [[page number delta, locations, meta locations]]."""
    chunks = [_take(folder / f"{chunk[2]}.pf_index") for chunk in meta[META_CHUNKS]]
    taken: set[str] = set()
    for chunk, index in zip(meta[META_CHUNKS], chunks):
        for word in index[0]:
            word[1] = _renumbered(word[1], new_number)
            for variant in word[2]:
                variant[1] = _renumbered(variant[1], new_number)
        chunk[2] = _write(folder, index, language, SHORT_HASH, ".pf_index", taken=taken)
        taken.add(chunk[2])


def _renumbered(pages: list, new_number: list[int]) -> list:
    """A word's pages, delta-encoded by page number, renumbered and encoded again in the new order."""
    absolute, number = [], 0
    for page in pages:
        number += page[0]
        absolute.append([new_number[number], *page[1:]])
    absolute.sort(key=lambda page: page[0])
    previous = 0
    for page in absolute:
        page[0], previous = page[0] - previous, page[0]
    return absolute


def _rewrite_filters(folder: Path, meta: list, language: str, new_number: list[int]) -> None:
    """Filter files: [filter, [[value, [page numbers]]]], values and filters in sorted order."""
    filters = {name: _take(folder / f"{key}.pf_filter") for name, key in meta[META_FILTERS]}
    meta[META_FILTERS] = []
    for name in sorted(filters):
        index = filters[name]
        index[1] = sorted([value, sorted(new_number[p] for p in pages)] for value, pages in index[1])
        key = _write(folder, index, language, SHORT_HASH, ".pf_filter", taken={k for _, k in meta[META_FILTERS]})
        meta[META_FILTERS].append([name, key])


def _renumber_sorts(bundle: Path, meta: list, new_number: list[int]) -> None:
    """Sorted page lists ([[key, [page numbers]]]) in the new numbering. Pagefind lists pages with
    equal values in page-number order; where the value is also a meta field of each page (the
    date on item pages), such runs are put in the new page-number order too."""
    fragments = [_fragment_meta(bundle, page[0]) for page in meta[META_PAGES]] if meta[META_SORTS] else []
    for sort in meta[META_SORTS]:
        key, pages = sort
        runs = [pages]
        if all(key in fragments[page] for page in pages):
            runs = [sorted(run, key=new_number.__getitem__) for _, run in groupby(pages, key=lambda page: fragments[page][key])]
        sort[1] = [new_number[page] for run in runs for page in run]


def _fragment_meta(bundle: Path, name: str) -> dict:
    data = gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())
    return json.loads(data[len(SIGNATURE):]).get("meta", {})


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

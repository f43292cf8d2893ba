"""Reproducible builds: one pinned date for the gate and for MkDocs.

GONGKAI_BUILD_DATE pins the gate's "today"; MkDocs dates the sitemap and the
gzip header of sitemap.xml.gz from SOURCE_DATE_EPOCH. Pinning the first pins
the second (unless it is set explicitly), so a rebuild of a commit with the
same GONGKAI_BUILD_DATE is byte-identical outside Pagefind's bundle.
"""
from __future__ import annotations

import os
from datetime import datetime, time, timezone

from gongkai.project import BUILD_DATE_ENV, build_date

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def pin_source_date_epoch() -> None:
    if os.environ.get(BUILD_DATE_ENV) and not os.environ.get(SOURCE_DATE_EPOCH):
        midnight = datetime.combine(build_date(), time(0), tzinfo=timezone.utc)
        os.environ[SOURCE_DATE_EPOCH] = str(int(midnight.timestamp()))

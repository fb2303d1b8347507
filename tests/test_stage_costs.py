"""benchmarks.stage_costs: CPU by stage, as `python -m benchmarks.crawl` prints it."""

from __future__ import annotations

import crawler.extraction.article as extraction
from benchmarks.stage_costs import EXTRACTION_STAGES, ORDER, stage_ms_per_page, stage_table
from crawler.sitekit.offline import OfflineRun
from fakesite import FakeSite


def test_every_stage_is_timed_and_extraction_is_left_as_it_was(monkeypatch):
    from scrapy.utils.project import get_project_settings

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    site = FakeSite(4, seed=1)
    site.bind("http://127.0.0.1:8000")
    pages = [(site.url(post.path), site.pages[post.path].body) for post in site.posts]
    before = {name: getattr(extraction, name) for name in EXTRACTION_STAGES}

    figures = stage_ms_per_page(pages, OfflineRun(settings), batch_size=2)

    assert list(figures) == list(ORDER)
    assert all(figures[stage] > 0 for stage in ("decode", "parse", "body", "boilerplate", "tag entities", "storage"))
    assert {name: getattr(extraction, name) for name in EXTRACTION_STAGES} == before
    table = stage_table({"generated": figures}).splitlines()
    assert table[0].split() == ["CPU", "ms/page", "by", "stage", "generated"]
    assert len(table) == len(ORDER) + 4
    # the last rows: all, then its two parts (a worker's stages and the crawl process's)
    total, in_worker, in_crawl = (float(line.split()[-1]) for line in table[-3:])
    assert table[-3].startswith("all") and table[-2].startswith("in a worker")
    assert in_worker > 0 and in_crawl > 0 and abs(in_worker + in_crawl - total) <= 0.02

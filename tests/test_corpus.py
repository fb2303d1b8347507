"""Extraction over the real-page corpus: floors a change must not fall under.

The floors sit slightly under what the extractor reaches (benchmarks/extraction.py prints the
figures), so accuracy cannot regress silently. The pages are read from SPACECRAWL_CORPUS
(default ../shared/corpus); without them these tests skip. They run the path `scrapy extract` runs
(extraction and every pipeline stage but storage), so a regression in either shows.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from benchmarks.scoring import Prediction, Totals, corpus_dir, load_cases, prediction_of
from crawler import settings as project_settings
from crawler.extraction import decode_html
from crawler.sitekit.offline import OfflineRun

CORPUS = corpus_dir()
pytestmark = pytest.mark.skipif(not (CORPUS / "cases.jsonl").is_file(),
                                reason=f"no corpus at {CORPUS} (set SPACECRAWL_CORPUS to its folder)")

FLOORS = {  # measured through crawler.sitekit.offline.OfflineRun (the path of `scrapy extract`), minus a small margin
    "body_f1": 0.977,
    "body_p": 0.974,
    "body_r": 0.981,
    "title": 0.905,
    "date_day": 0.98,
    "date_instant": 0.97,
    "authors_f1": 0.932,
    "include_found": 0.99,
}
CEILINGS = {"exclude_leak": 0.0}
MAX_DROPPED = 0  # pages of the corpus a stage may drop: every page of it is an article


@pytest.fixture(scope="module")
def results() -> tuple[Totals, dict[str, Prediction]]:
    run = OfflineRun(Settings(values={k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}))
    totals = Totals()
    predictions = {}
    for case in load_cases(CORPUS):
        try:
            fetched_at = datetime.fromisoformat(case.fetched_at) if case.fetched_at else None
            article = run.process(case.url, decode_html(case.html_bytes()), fetched_at)
            prediction = prediction_of(article)
        except DropItem as exc:
            prediction = Prediction(dropped=str(exc))
        totals.add(case, prediction)
        predictions[case.id] = prediction
    return totals, predictions


def test_every_page_kept_yields_a_title_and_a_body(results):
    totals, predictions = results
    kept = {case_id: p for case_id, p in predictions.items() if p.dropped is None}
    untitled = [case_id for case_id, p in kept.items() if not p.title]
    empty = [case_id for case_id, p in kept.items() if not (p.body or "").strip()]
    assert not untitled, f"pages without a title: {untitled}"
    assert not empty, f"pages without a body: {empty}"
    assert totals.dropped <= MAX_DROPPED, [(i, p.dropped) for i, p in predictions.items() if p.dropped]


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_accuracy_stays_above_its_floor(results, measure):
    value = results[0].summary()[measure]
    assert value is not None and value >= FLOORS[measure], f"{measure} = {value:.3f}, floor {FLOORS[measure]}"


@pytest.mark.parametrize("measure", sorted(CEILINGS))
def test_boilerplate_stays_under_its_ceiling(results, measure):
    value = results[0].summary()[measure]
    assert value is not None and value <= CEILINGS[measure], f"{measure} = {value:.3f}, ceiling {CEILINGS[measure]}"

"""Extraction over the real-page corpus: floors a change must not fall under.

The floors sit slightly under what the extractor reaches (benchmarks/extraction.py prints the
figures), so accuracy cannot regress silently. The pages are read from SPACECRAWL_CORPUS
(default ../shared/corpus); without them these tests skip.
"""

from __future__ import annotations

import pytest

from benchmarks.scoring import Prediction, Totals, corpus_dir, load_cases
from crawler.extraction import decode_html, extract_article

CORPUS = corpus_dir()
pytestmark = pytest.mark.skipif(not (CORPUS / "cases.jsonl").is_file(),
                                reason=f"no corpus at {CORPUS} (set SPACECRAWL_CORPUS to its folder)")

FLOORS = {  # measured on extract_article alone (no pipeline stages), minus a small margin
    "body_f1": 0.95,  # issue 2's floor
    "body_p": 0.94,
    "body_r": 0.94,
    "title": 0.77,
    "date_day": 0.93,
    "date_instant": 0.91,
    "authors_f1": 0.81,
    "include_found": 0.93,
}
CEILINGS = {"exclude_leak": 0.11}


@pytest.fixture(scope="module")
def results() -> tuple[Totals, dict[str, Prediction]]:
    totals = Totals()
    predictions = {}
    for case in load_cases(CORPUS):
        article = extract_article(case.url, decode_html(case.html_bytes()))
        prediction = Prediction(title=article.title, authors=article.authors, published=article.published,
                                body=article.body)
        totals.add(case, prediction)
        predictions[case.id] = prediction
    return totals, predictions


def test_every_page_yields_a_title_and_a_body(results):
    _, predictions = results
    untitled = [case_id for case_id, p in predictions.items() if not p.title]
    empty = [case_id for case_id, p in predictions.items() if not (p.body or "").strip()]
    assert not untitled, f"pages without a title: {untitled}"
    assert not empty, f"pages without a body: {empty}"


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_accuracy_stays_above_its_floor(results, measure):
    value = results[0].summary()[measure]
    assert value is not None and value >= FLOORS[measure], f"{measure} = {value:.3f}, floor {FLOORS[measure]}"


@pytest.mark.parametrize("measure", sorted(CEILINGS))
def test_boilerplate_stays_under_its_ceiling(results, measure):
    value = results[0].summary()[measure]
    assert value is not None and value <= CEILINGS[measure], f"{measure} = {value:.3f}, ceiling {CEILINGS[measure]}"

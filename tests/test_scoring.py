"""The corpus scorer (benchmarks/scoring.py), which the benchmark and the corpus floors share."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.extraction import misses, title_sources, titles_given, unshowable_dates
from benchmarks.scoring import (FOLDS, Case, Prediction, date_hits, dated_after_saving, fold_of, outlet_of, same_day,
                                same_instant, split_of)


def case(gold: dict, fetched_at: str | None = None, url: str = "https://news.example/a") -> Case:
    return Case(id="a", source="test", url=url, html_path=Path("a.html.gz"), gold=gold, fetched_at=fetched_at)


@pytest.mark.parametrize("published, fetched_at, expected", [
    ("2024-06-01T10:00:00", "2024-01-07T08:00:00", True),  # months after the page was saved
    ("2024-06-01T10:00:00+02:00", "2024-06-01T07:00:00", False),  # the same day, another clock
    ("2024-06-01", "2024-06-02T07:00:00", False),
    ("2024-06-01", None, False),  # no saving time: nothing to compare
])
def test_a_gold_dated_after_its_page_was_saved_is_told_apart(published, fetched_at, expected):
    assert dated_after_saving(case({"published": published}, fetched_at)) is expected


def test_a_gold_without_an_offset_is_read_on_the_pages_clock():
    shown = datetime(2024, 6, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 June in Berlin
    assert same_day("2024-06-02T00:30:00", shown, "Europe/Berlin")
    assert same_instant("2024-06-02T00:30:00", shown, "Europe/Berlin")
    assert not same_day("2024-06-02T00:30:00", shown, None)


def test_a_day_shown_without_a_time_is_that_day_on_any_clock():
    day = datetime(2024, 6, 2, tzinfo=UTC)  # how spacecrawl stores "June 2, 2024"
    assert same_day("2024-06-02", day, "America/New_York", day_only=True)  # not moved back to 1 June
    assert same_day("2024-06-02T10:00:00-04:00", day, None, day_only=True)
    assert same_instant("2024-06-02T00:00:00", day, "America/New_York", day_only=True)  # a gold giving a day
    # a time shown as exactly 00:00 UTC is an instant like any other, on the page's clock
    assert same_day("2024-06-01T20:00:00", day, "America/New_York")
    assert same_instant("2024-06-01T20:00:00", day, "America/New_York")


def test_titles_given_by_each_source_lose_the_sites_name():
    html = ("<html><head><title>Probe reaches orbit | Example News</title>"
            "<meta property='og:site_name' content='Example News'>"
            "<meta property='og:title' content='Probe reaches orbit at last'></head>"
            "<body><h1>Probe <em>reaches</em> orbit</h1></body></html>")
    assert titles_given(case({}), html) == {"og:title": "Probe reaches orbit at last", "<title>": "Probe reaches orbit",
                                             "<h1>": "Probe reaches orbit"}


def test_declared_titles_are_read_with_their_entities_decoded():
    html = ("<html><head><script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
            "\"headline\": \"Coach: &quot;Nothing to lose&quot;\"}</script></head><body></body></html>")
    assert titles_given(case({}), html) == {"JSON-LD headline": 'Coach: "Nothing to lose"'}


def test_date_hits_tell_the_day_from_the_minute():
    shown = Prediction(published=datetime(2024, 4, 22, 4, 0, tzinfo=UTC), zone="Europe/Berlin")
    assert date_hits("2024-04-22T06:00:00", shown) == (True, True)
    assert date_hits("2024-04-22T00:00:00", shown) == (True, False)  # the right day, another minute
    assert date_hits("2024-04-22", shown) == (True, None)  # a gold without a time has no minute to miss
    assert date_hits("2024-04-23", Prediction()) == (False, None)


PAGE = ("<html><head><title>Probe reaches orbit | Example News</title>"
        "<meta property='og:site_name' content='Example News'>"
        "<meta property='og:title' content='Probe reaches orbit at last'></head>"
        "<body><h1>Probe reaches orbit</h1></body></html>")


def test_misses_list_each_wrong_title_with_every_source_and_each_date_no_page_could_show():
    wrong_title = Case(id="t", source="test", url="https://news.example/t", html_path=Path("t.html.gz"),
                       gold={"title": "Probe reaches orbit at last"})
    late_date = Case(id="d", source="test", url="https://other.example/d", html_path=Path("d.html.gz"),
                     gold={"published": "2024-06-01T10:00:00+00:00"}, fetched_at="2024-01-06T08:00:00")
    listed = misses([wrong_title, late_date], {"t": PAGE, "d": PAGE}, {
        "t": Prediction(title="Probe reaches orbit"),
        "d": Prediction(published=datetime(2024, 1, 6, tzinfo=UTC), day_only=True)}).splitlines()
    assert listed[1].startswith(f"t (news.example, fold {fold_of('https://news.example/t')}, ")
    assert listed[2] == "  title: gold 'Probe reaches orbit at last', ours 'Probe reaches orbit'"
    assert listed[3:6] == ["    * og:title: 'Probe reaches orbit at last'", "      <title>: 'Probe reaches orbit'",
                           "      <h1>: 'Probe reaches orbit'"]
    assert listed[6].startswith("d (other.example")
    assert listed[7].endswith("another day, no page can show it")
    assert misses([wrong_title], {"t": PAGE}, {"t": Prediction(title="Probe Reaches Orbit, at last")}) == \
        "title and date misses:\n  none"


def test_unshowable_dates_are_counted_by_group():
    saved = "2024-01-06T08:00:00"
    groups = {"seen": [case({"published": "2024-06-01"}, saved), case({"published": "2024-01-06"}, saved)],
              "unseen": [case({"title": "x"}, saved)]}
    assert unshowable_dates(groups) == \
        "gold dates no saved page can show (over a day after saving): seen 1 of 2, unseen 0 of 0"


def test_title_sources_of_pages_without_a_gold_title_says_so():
    assert title_sources([case({"body": "text"})], {"a": "<html></html>"}, {}) == \
        "titles by source: no page here has a gold title"


@pytest.mark.parametrize("url, outlet", [
    ("https://www.bbc.co.uk/news/a", "bbc.co.uk"),
    ("https://m.bbc.co.uk/news/b", "bbc.co.uk"),
    ("https://edition.cnn.com/2024/x", "cnn.com"),
    ("https://spacenews.com/y/", "spacenews.com"),
])
def test_pages_are_grouped_by_outlet(url, outlet):
    assert outlet_of(url) == outlet


def test_every_page_of_an_outlet_falls_on_one_side():
    pages = ["https://www.faz.net/a", "https://faz.net/b/c", "https://m.faz.net/d"]
    assert len({fold_of(url) for url in pages}) == 1 and len({split_of(url) for url in pages}) == 1
    folds = {fold_of(f"https://outlet{n}.example/a") for n in range(200)}
    assert folds == set(range(FOLDS))  # and outlets spread over every fold


def test_a_comment_section_goes_after_the_article_and_its_texts_must_stay_out():
    from benchmarks.comment_section import FORM_PHRASES, with_comment_sections
    from crawler.extraction.article import parse_html

    paragraph = "The booster landed on the drone ship nine minutes after lift-off, its fourth flight."
    page = f"<html><body><main><article><h1>Landing</h1><p>{paragraph}</p></article><aside>More</aside></main></body></html>"
    assert with_comment_sections([case({"title": "Landing"})], {"a": page}) == ([], {}), "no body gold: left out"
    cases, pages = with_comment_sections([case({"body": paragraph})], {"a": page})
    excluded = cases[0].gold["must_exclude"]
    assert set(FORM_PHRASES) <= set(excluded) and len(excluded) > len(FORM_PHRASES), "the thread's comments too"
    article = parse_html(pages["a"]).find(".//article")
    section = article.getnext()
    assert section.get("id") == "comments" and "Leave a Reply" in section.text_content()
    assert excluded[0] in section.text_content() and paragraph not in section.text_content()

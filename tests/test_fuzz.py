"""Broken pages (fakesite.mutations) through `scrapy extract`'s path and a crawl: no exception
escapes, none hangs. `python -m benchmarks.fuzz` runs thousands, the corpus's too."""

from __future__ import annotations

from collections import Counter

from benchmarks.fuzz import fuzz_crawl, fuzz_extract, sources
from fakesite.mutations import MUTATIONS, mutated_pages

PAGES = 300
CRAWLED = 40


def test_mutations_are_the_same_for_a_seed_and_use_every_kind():
    pages = sources(corpus=None, fakesite_articles=4)
    first, again, other = (list(mutated_pages(pages, 60, seed)) for seed in (7, 7, 8))
    assert first == again and first != other
    kinds = Counter(kind for mutant in first for kind in mutant.name.rsplit(":", 1)[1].split("+"))
    assert set(kinds) == set(MUTATIONS)
    assert all(mutant.body != source for mutant, (_, _, source) in zip(first, pages))


def test_hundreds_of_mutated_pages_through_extract_raise_nothing_and_none_hangs():
    tally = fuzz_extract(mutated_pages(sources(corpus=None, fakesite_articles=8), PAGES, seed=24))
    assert (tally.tracebacks, tally.hangs) == ([], [])
    assert "extraction_error" not in tally.dropped  # the guard keeps a bug to its page; the test finds it
    assert tally.tried == PAGES == tally.articles + sum(tally.dropped.values())
    assert tally.articles and tally.dropped  # broken pages both survive and are dropped, by reason


def test_mutated_pages_through_a_crawl_log_no_traceback_and_lose_only_what_they_drop():
    mutants = list(mutated_pages(sources(corpus=None, fakesite_articles=4), CRAWLED, seed=25))
    tally, _ = fuzz_crawl(mutants)
    assert (tally.tracebacks, tally.hangs) == ([], [])
    assert "not fetched" not in tally.dropped and "extraction_error" not in tally.dropped
    assert tally.articles + sum(tally.dropped.values()) == CRAWLED  # each page stored or dropped by reason

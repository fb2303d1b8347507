"""Entities in the store, on real SQLite and PostgreSQL: the entity filter by any name, search
hits, counts per entity, `scrapy retag`, and the commands' --entity and output."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from crawler.db import open_store
from crawler.db.store import Store
from crawler.knowledge import tag_text
from tests.test_query import scrapy

T0 = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
TEXTS = [
    ("Roscosmos and NASA talk", "Dmitry Rogozin told NASA that Roscosmos would leave the ISS. SpaceX disagreed."),
    ("Ariane 6 flies", "ESA launched Ariane 6 from Kourou with a weather satellite."),
    ("Vega C returns", "Avio's Vega-C rocket carried an ESA satellite into orbit from Kourou."),
    ("A quiet week", "Nothing about space at all happened in the markets this week."),
]


def records(tagged: bool = True) -> list[dict[str, object]]:
    return [{"url": f"https://news.example/{n}", "site": "example", "title": title, "body": body,
             "published": T0 + timedelta(days=n), "content_hash": f"h{n}",
             "entities": tag_text(title, body) if tagged else []} for n, (title, body) in enumerate(TEXTS)]


@pytest.fixture
def store(database_url: str):  # type: ignore[no-untyped-def]
    with open_store(database_url, create=True) as opened:
        opened.save(records())
        yield opened


def urls(rows: list[dict[str, object]]) -> list[object]:
    return [row["url"] for row in rows]


def test_the_entity_filter_takes_any_name_in_any_case(store: Store) -> None:
    for name in ("Roscosmos", "роскосмос", "ROSCOSMOS", "roscosmos", "Russian space agency"):
        assert urls(store.records(entity=name)) == ["https://news.example/0"], name
    assert urls(store.records(entity="esa")) == ["https://news.example/1", "https://news.example/2"]
    assert urls(store.records(entity="Европейское космическое агентство", since="2024-06-05")) == [
        "https://news.example/2"]
    assert store.records(entity="Starship") == []
    record = store.records(entity="ariane 6")[0]
    assert {"name": "Ariane 6", "kind": "vehicle", "id": "ariane-6"} in record["entities"]


def test_search_hits_carry_entities_and_take_the_filter(store: Store) -> None:
    hits = store.search("kourou", entity="Avio")
    assert [hit.url for hit in hits] == ["https://news.example/2"]
    assert {entity["id"] for entity in hits[0].entities} == {"avio", "vega", "esa", "kourou"}
    assert [hit.url for hit in store.search("kourou", site="example", entity="ariane-6")] == ["https://news.example/1"]


def test_counts_per_entity(store: Store) -> None:
    counts = store.entity_counts()
    assert counts[:2] == [("esa", "agency", 2), ("kourou", "place", 2)]
    assert ("dmitry-rogozin", "person", 1) in counts and len(counts) == 10
    assert store.entity_counts(since="2024-06-05") == [("avio", "company", 1), ("esa", "agency", 1),
                                                      ("kourou", "place", 1), ("vega", "vehicle", 1)]


def test_retag_brings_old_articles_up_to_the_gazetteer(database_url: str) -> None:
    with open_store(database_url, create=True) as store:
        store.save(records(tagged=False))  # stored before tagging, or before their entries existed
        assert store.records(entity="nasa") == []
        counts = store.retag(batch_size=3)
        assert (counts.articles, counts.changed) == (4, 3)
        assert urls(store.records(entity="nasa")) == ["https://news.example/0"]
        assert store.retag().changed == 0
        # a re-crawl of unchanged pages with other entities refreshes them (and the index), no revision
        changed = records()
        changed[3]["entities"] = [{"name": "NASA", "kind": "agency", "id": "nasa"}]
        assert store.save(changed).unchanged == 4
        assert urls(store.records(entity="nasa")) == ["https://news.example/0", "https://news.example/3"]
        assert store.article("https://news.example/3").revisions == []


@pytest.fixture
def run(capsys, monkeypatch, database_url: str, store: Store):  # type: ignore[no-untyped-def]
    return lambda *arguments: scrapy(capsys, monkeypatch, database_url, *arguments)


def test_commands_filter_count_and_show_entities(run) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("search", "kourou", "--entity", "Вега")
    assert code == 0 and "Vega C returns" in out and "entities: Vega; Avio; ESA; Guiana Space Centre" in out
    code, out, err = run("search", "kourou", "--json", "--exclude-site", "spacenews")
    assert code == 0 and json.loads(out)[0]["entities"]
    code, out, err = run("export", "--entity", "Roscosmos")
    assert code == 0 and [json.loads(line)["url"] for line in out.splitlines()] == ["https://news.example/0"]
    code, out, err = run("export", "--format", "csv", "--entity", "esa", "--until", "2024-06-05")
    assert code == 0 and "Ariane 6; ESA; Guiana Space Centre" in out
    code, out, err = run("stats", "--by", "entity", "--site", "example")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["entity", "kind", "id", "articles"]
    assert lines[1].split() == ["ESA", "agency", "esa", "2"]
    code, out, err = run("stats", "--by", "entity", "--json", "--entity", "nasa")
    assert code == 0 and {"name": "Roscosmos", "kind": "agency", "id": "roscosmos", "articles": 1} in json.loads(out)
    code, out, err = run("show", "https://news.example/1")
    assert code == 0 and "entities: Ariane 6 (vehicle), ESA (agency), Guiana Space Centre (place)" in out


def test_retag_command_and_its_errors(run) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("retag", "--batch", "2")
    assert code == 0 and out == "" and "retagged 4 articles in" in err and "0 with changed entities, 4 unchanged" in err
    code, out, err = run("search", "orbit", "--entity", "Roscosmoss")
    assert code == 2 and "unknown entity 'Roscosmoss'; did you mean 'Roscosmos'?" in err
    code, out, err = run("retag", "extra")
    assert code == 2 and "retag takes no arguments" in err
    code, out, err = run("stats", "--entity", "nasa")
    assert code == 2 and "need --by or --plot" in err

"""Copies and stories: sketches (pure), linking in the store on SQLite and PostgreSQL, two writers
at once, the store pipeline's counts, and the commands that show them. Every text here is invented."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

from alembic import command
from scrapy import Spider
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, inspect, select, text

from crawler import settings as project_settings
from crawler.db import open_store
from crawler.db.engine import alembic_config, ensure_schema, make_engine
from crawler.db.models import StoryBand
from crawler.db.repository import upsert_and_link
from crawler.db.store import link_rules
from crawler.items import Article
from crawler.stories.sketch import contained, jaccard, sketch, story_terms
from fakesite import text as fake_text
from pipelines.store import STORIES_PREFIX, StorePipeline
from tests.helpers import scrapy_here as scrapy

DAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
RULES = link_rules(lambda name: getattr(project_settings, name))

ORIGINAL = [
    "Meridian Propulsion fired the Halcyon V second stage for 412 seconds on Tuesday at the Ostrander "
    "test site, the longest burn in the engine's history, the company said.",
    "Engineers had shortened two earlier tests after a turbopump bearing ran hot. For this run the "
    "bearing was replaced with a ceramic part supplied by Brightwater Dynamics.",
    "Chief engineer Ines Okafor said the data looked clean and that the team would now inspect the "
    "nozzle extension, which glowed orange for most of the firing.",
    "The stage is meant to carry the Vesper deep-space probe next spring. A qualification firing of "
    "the full flight stage is planned for the autumn, pending the inspection.",
    "Meridian has not said how much the test campaign has cost. The Orbital Safety Office, which "
    "licenses the Ostrander site, said no debris left the test stand.",
]
# Another newsroom's report of the same firing: the same names and numbers, its own sentences.
SECOND_REPORT = [
    "A 412-second burn at Ostrander on Tuesday gave Meridian Propulsion the full-duration firing its "
    "Halcyon V upper stage had been missing.",
    "Ines Okafor, Meridian's chief engineer, credited a ceramic turbopump bearing from Brightwater "
    "Dynamics after overheating cut short two earlier attempts.",
    "The Vesper deep-space probe is booked on the stage's first flight next spring, and a qualification "
    "firing of the flight stage is due in the autumn once the nozzle extension has been inspected.",
]
OTHER_EVENT = [
    "Tidewater's ocean-monitoring satellite sent its first images from orbit on Thursday, nine days "
    "after launch from Saltmarsh Point aboard a Corvid Lift rocket.",
    "The pictures show a plankton bloom off the southern coast and sea ice breaking up in a northern "
    "bay, mission scientist Tomas Lindqvist said at a briefing.",
    "The spacecraft will spend a month in checkout before routine observations begin. Its radar "
    "altimeter is still being calibrated against buoys moored near the coast.",
    "Lindqvist said the team was relieved after a solar array hinge was slow to latch on the second day.",
]
# A third report, days later.
FOLLOW_UP = [
    "Meridian Propulsion will inspect the Halcyon V nozzle extension this week after Tuesday's 412-second "
    "burn at Ostrander, Ines Okafor told reporters.",
    "The ceramic turbopump bearing from Brightwater Dynamics held up, she said, and the Vesper deep-space "
    "probe remains on track for next spring.",
]
CREDIT = "This article was originally published by Orbit Daily and is republished here with permission."


def record(url: str, site: str, title: str, paragraphs: list[str], published: datetime = DAY) -> dict[str, Any]:
    body = "\n\n".join(paragraphs)
    return {"url": url, "site": site, "title": title, "body": body, "published": published,
            "word_count": len(body.split()), "content_hash": f"hash-{url}-{len(body)}"}


def original(published: datetime = DAY) -> dict[str, Any]:
    return record("https://orbitdaily.example/2026/03/halcyon-burn/", "orbitdaily",
                  "Halcyon V stage completes full-length burn", ORIGINAL, published)


def full_copy() -> dict[str, Any]:
    """Republished with a credit line and a new headline, one paragraph left out."""
    return record("https://spacewire.example/news/meridian-stage-test/", "spacewire",
                  "Meridian's upper stage runs for nearly seven minutes", ORIGINAL[:3] + ORIGINAL[4:] + [CREDIT])


def cut_copy() -> dict[str, Any]:
    """The first three paragraphs only."""
    return record("https://launchbrief.example/halcyon/", "launchbrief", "Halcyon V burn", ORIGINAL[:3])


def second_report() -> dict[str, Any]:
    return record("https://spacewire.example/news/ostrander-firing/", "spacewire",
                  "Ostrander firing clears the way for Vesper's launch stage", SECOND_REPORT)


def other_event() -> dict[str, Any]:
    return record("https://orbitdaily.example/2026/03/tidewater-first-light/", "orbitdaily",
                  "Tidewater satellite sends first images", OTHER_EVENT)


def links(store: Any) -> dict[str, tuple[int | None, str | None]]:
    return {record["url"]: (record["story_id"], record["duplicate_of"]) for record in store.records()}


# --- sketches: pure ---------------------------------------------------------------------------------

def test_a_copy_is_contained_in_its_original_and_distinct_articles_are_not() -> None:
    rules, whole = RULES, sketch(original()["title"], original()["body"])
    for copy in (full_copy(), cut_copy()):
        assert contained(sketch(copy["title"], copy["body"]), whole) >= rules.copy_containment
    # A long original does not lie inside its own first paragraphs: the copy is the cut one.
    assert contained(whole, sketch("", cut_copy()["body"])) < rules.copy_containment
    assert contained(sketch("", second_report()["body"]), whole) < 0.2
    # Articles written from the fake site's shared sentence templates are still not copies of each other.
    generated = [sketch(fake_text.headline(Random(n)), "\n\n".join(fake_text.body(Random(n), 6))) for n in range(12)]
    assert max(contained(a, b) for a in generated for b in generated if a is not b) < rules.copy_containment


def test_story_terms_are_names_and_longer_words_not_sentence_openers() -> None:
    terms = story_terms("Halcyon V flies", "The stage flew. It carried NG-2 and 412 kg for Brightwater Dynamics.",
                        ["stage", "carried", "brightwater", "dynamics"])
    assert {"v", "ng-2", "412", "brightwater", "dynamics", "carried", "stage"} <= terms
    assert not {"the", "it", "halcyon"} & terms  # sentence openers (a headline's first word too)
    assert "entity:Q1" in story_terms("", "", [], entities=("Q1",))


def test_reports_of_one_event_are_closer_than_reports_of_two() -> None:
    one, two, other = (sketch(r["title"], r["body"]) for r in (original(), second_report(), other_event()))
    assert jaccard(one.story, two.story) >= RULES.story_similarity > jaccard(one.story, other.story)


# --- linking in the store ---------------------------------------------------------------------------

def test_copies_and_a_second_report_share_the_original_story(database_url: str) -> None:
    with open_store(database_url, create=True) as store:
        store.save([original()])
        store.save([full_copy(), other_event()])
        store.save([second_report()])
        found = links(store)
        first = store.article(original()["url"])
        assert found[original()["url"]] == (first.id, None)
        assert found[full_copy()["url"]] == (first.id, original()["url"])
        assert found[second_report()["url"]] == (first.id, None)
        other = store.article(other_event()["url"])
        assert found[other_event()["url"]] == (other.id, None)

        # The command line's view: one story of three articles on two sites; one article a story.
        [story] = store.stories()
        assert (story.story_id, story.size, story.sites, story.headline) == (
            first.id, 3, ["orbitdaily", "spacewire"], original()["title"])
        assert story.first_seen == story.last_seen == DAY
        assert store.stories(sites=["launchbrief"]) == []
        assert [s.story_id for s in store.stories(since="2026-03-03")] == []
        assert [r["url"] for r in store.records(one_per_story=True)] == [original()["url"], other_event()["url"]]
        hits = store.search("Ostrander", one_per_story=True)
        assert len(hits) == 1 and hits[0].story_id == first.id
        assert {hit.url for hit in store.search("Ostrander")} == {original()["url"], full_copy()["url"],
                                                                 second_report()["url"]}

        # Saved again (a re-crawl), or saved from an export with another store's links: nothing moves.
        exported = store.records()
        store.save([record | {"story_id": 999, "duplicate_of": "https://elsewhere.example/"} for record in exported])
        assert links(store) == found


def test_a_copy_stored_first_points_at_its_original_once_that_arrives(database_url: str) -> None:
    with open_store(database_url, create=True) as store:
        store.save([cut_copy()])
        store.save([full_copy()])  # a copy of the cut copy's text, as far as the store knows
        store.save([original()])
        cut = store.article(cut_copy()["url"])
        assert links(store) == {cut_copy()["url"]: (cut.id, original()["url"]),
                                full_copy()["url"]: (cut.id, original()["url"]),
                                original()["url"]: (cut.id, None)}


def test_a_story_holds_only_articles_published_within_the_window(database_url: str) -> None:
    later = second_report() | {"published": DAY + timedelta(days=RULES.window_days + 1)}
    with open_store(database_url, create=True) as store:
        store.save([original(), later, full_copy() | {"published": DAY + timedelta(days=400)}])
        first = store.article(original()["url"])
        found = links(store)
        assert found[later["url"]][0] != first.id  # another event, as far as dates tell
        assert found[full_copy()["url"]] == (first.id, original()["url"])  # copies: any time apart


def test_a_story_does_not_creep_on_past_the_window_from_its_first_article(database_url: str) -> None:
    days = RULES.window_days
    report = second_report() | {"published": DAY + timedelta(days=days - 1)}
    follow_up = record("https://spacewire.example/news/nozzle-inspection/", "spacewire",
                       "Meridian inspects Halcyon V nozzle after long burn", FOLLOW_UP, DAY + timedelta(days=days + 1))
    with open_store(database_url, create=True) as store:
        store.save([original()])
        store.save([report])
        store.save([follow_up])  # close to the report, too far from the story's first article
        first, found = store.article(original()["url"]).id, links(store)
        assert found[report["url"]] == (first, None)
        assert found[follow_up["url"]] == (store.article(follow_up["url"]).id, None)


def test_a_changed_article_keeps_its_links_and_is_found_by_its_new_text(database_url: str) -> None:
    with open_store(database_url, create=True) as store:
        store.save([original(), full_copy()])
        before = links(store)
        store.save([full_copy() | {"body": full_copy()["body"] + "\n\nUpdated with a statement.",
                                   "content_hash": "changed"}])
        assert links(store) == before
        store.save([record("https://third.example/a/", "third", "Again", ORIGINAL[:3] + ["Updated with a statement."])])
        assert links(store)["https://third.example/a/"] == (before[original()["url"]][0], original()["url"])


def test_stores_made_before_stories_are_linked_on_request(database_url: str) -> None:
    with open_store(database_url, create=True) as store:
        store.rules = None  # as a store written before migration 0005
        store.save([original(), full_copy()])
        before = links(store)  # each article its own story, copying nothing
        assert len({story_id for story_id, _ in before.values()}) == 2 and {d for _, d in before.values()} == {None}
        counts = store.link_unlinked()
        assert (counts.copies, counts.began) == (1, 1)
        assert links(store)[full_copy()["url"]][1] == original()["url"]


def test_two_writers_at_once_see_each_other(database_url: str) -> None:
    """Two crawlers storing an article and its copy at the same moment: one is the copy of the other."""
    engines = [make_engine(database_url) for _ in range(2)]
    ensure_schema(engines[0])
    start = threading.Barrier(2)

    def write(engine: Any, records: list[dict[str, Any]]) -> None:
        start.wait()
        upsert_and_link(engine, records, RULES)

    writers = [threading.Thread(target=write, args=(engine, [records]))
               for engine, records in zip(engines, (original(), full_copy()))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    for engine in engines:
        engine.dispose()
    with open_store(database_url) as store:
        found = links(store)
    assert {found[original()["url"]][1], found[full_copy()["url"]][1]} in (
        {None, original()["url"]}, {None, full_copy()["url"]})
    assert found[original()["url"]][0] == found[full_copy()["url"]][0]


def band_rows(engine: Engine) -> list[tuple[int, int, int]]:
    with engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(select(StoryBand.band, StoryBand.day, StoryBand.article_id)))


def band_foreign_keys(engine: Engine) -> list[str]:
    return [key["referred_table"] for key in inspect(engine).get_foreign_keys("story_bands")]


def test_migration_0009_keeps_the_band_rows_without_their_foreign_key_and_back(database_url: str) -> None:
    engine = make_engine(database_url)

    def migrate(step: Any, revision: str) -> None:
        with engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            step(config, revision)

    try:
        migrate(command.upgrade, "0008")
        upsert_and_link(engine, [original()], RULES)
        before = band_rows(engine)
        assert len(before) == 64 and band_foreign_keys(engine) == ["articles"]
        migrate(command.upgrade, "0009")
        assert band_rows(engine) == before and band_foreign_keys(engine) == []
        upsert_and_link(engine, [full_copy()], RULES)  # found by the rows carried over
        with open_store(database_url) as store:
            assert links(store)[full_copy()["url"]][1] == original()["url"]
        after = band_rows(engine)
        assert len(after) == 128
        migrate(command.downgrade, "0008")
        assert band_rows(engine) == after and band_foreign_keys(engine) == ["articles"]
        migrate(command.upgrade, "head")
    finally:
        engine.dispose()


def test_the_band_rows_of_an_article_deleted_by_hand_are_passed_by(database_url: str) -> None:
    with open_store(database_url, create=True) as store:
        store.save([original()])
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM articles WHERE url = :url"), {"url": original()["url"]})
        assert len(band_rows(engine)) == 64  # left behind: no foreign key deletes them
    finally:
        engine.dispose()
    with open_store(database_url) as store:
        store.save([full_copy()])
        copy = store.article(full_copy()["url"])
        assert links(store) == {full_copy()["url"]: (copy.id, None)}


# --- a crawl's store, and the commands ------------------------------------------------------------

class NewsSpider(Spider):
    name = "spacewire"


def test_the_crawl_store_links_and_counts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database_url = f"sqlite:///{tmp_path / 'crawl.db'}"
    crawler = get_crawler(NewsSpider, {
        **{name: value for name, value in vars(project_settings).items() if name.startswith("SPACECRAWL_")},
        "SPACECRAWL_DATABASE_URL": database_url, "SPACECRAWL_STORE_FLUSH_SECONDS": 0,
        "SPACECRAWL_UNSAVED_DIR": str(tmp_path)})
    crawler.spider = NewsSpider.from_crawler(crawler)
    pipeline = StorePipeline.from_crawler(crawler)

    async def crawl() -> None:
        pipeline.open_spider()
        for item in (original(), full_copy(), other_event()):
            await pipeline.process_item(Article(**item))
        await pipeline.close_spider()
        await pipeline.spider_closed(crawler.spider, reason="finished")
    asyncio.run(crawl())
    stats = crawler.stats.get_stats()
    assert (stats[STORIES_PREFIX + "copies"], stats[STORIES_PREFIX + "began"]) == (1, 2)
    with open_store(database_url) as store:
        assert links(store)[full_copy()["url"]][1] == original()["url"]


def test_commands_show_stories_and_one_article_per_story(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    database_url = f"sqlite:///{tmp_path / 'cli.db'}"
    recent = datetime.now(UTC) - timedelta(hours=3)
    with open_store(database_url, create=True) as store:
        store.save([original(recent), full_copy() | {"published": recent}, other_event() | {"published": recent},
                    second_report() | {"published": recent - timedelta(days=40)}])
    code, out, _ = scrapy(capsys, monkeypatch, database_url, "stories", "--since", "2d", "--site", "spacewire,orbitdaily")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["story", "size", "sites", "first", "seen", "last", "seen", "headline"]
    assert len(lines) == 2 and " 2 " in lines[1] and "orbitdaily,spacewire" in lines[1]
    assert lines[1].endswith(original()["title"])
    code, out, _ = scrapy(capsys, monkeypatch, database_url, "stories", "--json", "--min-size", "1")
    assert code == 0 and sorted(story["size"] for story in json.loads(out)) == [1, 1, 2]
    code, _, err = scrapy(capsys, monkeypatch, database_url, "stories", "--site", "spacewire,spacewyre")
    assert code == 2 and "spacewyre" in err

    code, out, _ = scrapy(capsys, monkeypatch, database_url, "export", "--one-per-story")
    exported = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["url"] for r in exported] == [second_report()["url"], original()["url"],
                                                          other_event()["url"]]
    assert {"story_id", "duplicate_of"} <= set(exported[0])
    code, out, _ = scrapy(capsys, monkeypatch, database_url, "search", "Meridian", "--jsonl")
    hits = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {hit["duplicate_of"] for hit in hits} == {None, original()["url"]}
    code, out, err = scrapy(capsys, monkeypatch, database_url, "search", "Meridian", "--one-per-story")
    assert code == 0 and "2 results" in err  # the original or its copy; the older report

"""The item pipeline stages between extraction and storage, each on good and on bad input."""

from __future__ import annotations

import importlib
import logging
from dataclasses import replace
from datetime import datetime, timedelta, timezone, UTC
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.log import logformatter_adapter
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler.items import Article
from pipelines.deduplicate import DeduplicatePipeline
from pipelines.normalize_text import NormalizeTextPipeline, clean_authors, clean_text
from pipelines.parse_dates import ParseDatesPipeline
from pipelines.strip_boilerplate import StripBoilerplatePipeline, strip_boilerplate
from pipelines.validate import ValidatePipeline

PROJECT_SETTINGS = importlib.import_module("crawler.settings")
SENTENCE = "The probe fired its engine for twelve minutes and settled into orbit around the red planet."
BODY = "\n\n".join([SENTENCE] * 6)  # 96 words
FETCHED_AT = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


def build(pipeline_class: type, **overrides: Any) -> Any:
    """A pipeline built the way Scrapy builds it, from the project's SPACECRAWL_* defaults."""
    settings = {name: getattr(PROJECT_SETTINGS, name) for name in dir(PROJECT_SETTINGS) if name.startswith("SPACECRAWL_")}
    crawler = get_crawler(settings_dict={**settings, **overrides})
    return pipeline_class.from_crawler(crawler)


def article(**fields: Any) -> Article:
    values = {"url": "https://news.example/2024/06/probe-reaches-orbit", "title": "Probe reaches orbit",
              "body": BODY, "fetched_at": FETCHED_AT, **fields}
    return Article(**values)


def dropped(pipeline: Any, item: Any, reason: str) -> None:
    with pytest.raises(DropItem, match=rf"^{reason}: "):
        pipeline.process_item(item)
    assert pipeline.stats.get_value(f"spacecrawl/dropped/{reason}") == 1


# --- validate --------------------------------------------------------------------------------


def test_validate_keeps_an_article() -> None:
    item = article(page_type="NewsArticle")
    assert build(ValidatePipeline).process_item(item) is item


@pytest.mark.parametrize("page_type", ["CollectionPage", "SearchResultsPage", "ProfilePage", "VideoObject",
                                       "ImageGallery", "collectionpage, ItemList"])
def test_validate_drops_pages_that_declare_a_non_article(page_type: str) -> None:
    dropped(build(ValidatePipeline), article(page_type=page_type), "not_article")


def test_a_drop_is_logged_as_one_line_at_info_without_the_article() -> None:
    validate = build(ValidatePipeline)
    item = article(page_type="CollectionPage")
    with pytest.raises(DropItem) as drop:
        validate.process_item(item)
    crawler = get_crawler(Spider, settings_dict={name: getattr(PROJECT_SETTINGS, name)
                                                 for name in ("LOG_FORMATTER", "DEFAULT_DROPITEM_LOG_LEVEL")})
    crawler.spider = Spider.from_crawler(crawler, name="drops")
    formatter = load_object(crawler.settings["LOG_FORMATTER"]).from_crawler(crawler)
    level, message, args = logformatter_adapter(formatter.dropped(item, drop.value, None, crawler.spider))
    assert level == logging.INFO
    assert message % args == f"Dropped: not_article: {item.url} declares 'CollectionPage'"


def test_validate_keeps_an_article_that_also_declares_a_video() -> None:
    item = article(page_type="NewsArticle VideoObject")
    assert build(ValidatePipeline).process_item(item) is item


def test_validate_drops_an_undated_short_website_page_but_keeps_dated_or_long_ones() -> None:
    validate = build(ValidatePipeline)
    dropped(validate, article(page_type="website"), "not_article")
    assert validate.process_item(article(page_type="website", published="2024-06-05")).page_type == "website"
    long_body = "\n\n".join([SENTENCE] * 12)  # 192 words
    assert validate.process_item(article(page_type="WebPage", body=long_body)).body == long_body


def test_validate_drops_missing_title_and_body() -> None:
    dropped(build(ValidatePipeline), article(title="   "), "no_title")
    dropped(build(ValidatePipeline), article(body=None), "no_body")
    dropped(build(ValidatePipeline), article(body=" \n\n "), "no_body")


def test_validate_drops_a_body_below_the_configured_length() -> None:
    dropped(build(ValidatePipeline, SPACECRAWL_MIN_BODY_WORDS=97), article(), "body_too_short")
    item = article()
    assert build(ValidatePipeline, SPACECRAWL_MIN_BODY_WORDS=96).process_item(item) is item


def test_validate_drops_a_body_above_the_configured_length() -> None:
    item = article()
    dropped(build(ValidatePipeline, SPACECRAWL_MAX_BODY_WORDS=95), item, "body_too_long")
    assert build(ValidatePipeline, SPACECRAWL_MAX_BODY_WORDS=96).process_item(article()) is not None


def test_validate_counts_each_japanese_character_as_a_word() -> None:
    item = article(body="探査機が月面に着陸した。" * 4)  # 44 characters, no spaces: one \w+ token a sentence
    assert build(ValidatePipeline).process_item(item) is item
    dropped(build(ValidatePipeline, SPACECRAWL_MIN_BODY_WORDS=45), article(body=item.body), "body_too_short")


def test_validate_accepts_dict_items() -> None:
    dropped(build(ValidatePipeline), {"url": "https://news.example/x", "title": "T", "body": "Too short."},
            "body_too_short")


# --- normalize text --------------------------------------------------------------------------


@pytest.mark.parametrize(("broken", "repaired"), [
    ("We donâ€™t know yet", "We don’t know yet"),
    ("CafÃ© on Mars", "Café on Mars"),
    ("â€œLiftoff!â€\x9d she said", "“Liftoff!” she said"),
    ("AT&amp;T and ESA&#8217;s &quot;probe&quot;", "AT&T and ESA’s \"probe\""),
    ("double &amp;#8217; escaped", "double ’ escaped"),
    ("Cafe\u0301 decomposed", "Café decomposed"),
    ("zero\u200bwidth\ufeff and soft\u00adhyphen", "zerowidth and softhyphen"),
    ("bell\x07 and null\x00 gone", "bell and null gone"),
])
def test_clean_text_repairs_broken_text(broken: str, repaired: str) -> None:
    assert clean_text(broken, multiline=False) == repaired


@pytest.mark.parametrize("text", [
    "“Curly quotes” and ‘single’ stay curly",
    "„Glück“ und Café‘s Ärger",  # accents before quotes look like mojibake to a cheap test
    "日本の探査機ＳＬＩＭが月面に着陸した。",  # full-width letters are how Japanese writes them
    "Emoji 👩‍🚀 keeps its joiner",
])
def test_clean_text_leaves_good_text_alone(text: str) -> None:
    assert clean_text(text, multiline=False) == text


def test_clean_text_tidies_whitespace_and_keeps_paragraphs() -> None:
    raw = "  First\tline \xa0 here  \r\nsecond line\r\n\r\n\r\n\n  Next\u2009paragraph \n \n\n\nLast\u2029End "
    assert clean_text(raw, multiline=True) == "First line here\nsecond line\n\nNext paragraph\n\nLast\n\nEnd"
    assert clean_text(raw, multiline=False) == "First line here second line Next paragraph Last End"


@pytest.mark.parametrize(("bylines", "names"), [
    (["By Jane Doe and John Roe, Staff Writer"], ["Jane Doe", "John Roe"]),
    (["by: Jane Doe", "JANE DOE", "Jane  Doe"], ["Jane Doe"]),
    (["Jane Doe, Senior Editor; John Roe | Contributor"], ["Jane Doe", "John Roe"]),
    (["Doe, Jane"], ["Doe, Jane"]),
    (["Space.com Staff"], ["Space.com Staff"]),
    (["John E Smith", "@janedoe", "jane@example.com"], ["John E Smith"]),
    (["Von Max Mustermann und Erika Musterfrau"], ["Max Mustermann", "Erika Musterfrau"]),
    (["Rachael Link, MS, RD", "Jane Roe, Ph. D., Monday"], ["Rachael Link", "Jane Roe"]),  # degrees, a weekday
    (["Ana Ruiz, Segunda-feira", "Domingo", "Ma, Jack"], ["Ana Ruiz", "Domingo", "Ma, Jack"]),  # names stay names
    (["Jane Doe, and John Roe"], ["Jane Doe", "John Roe"]),
])
def test_clean_authors_splits_bylines_into_names(bylines: list[str], names: list[str]) -> None:
    assert clean_authors(bylines) == names


def test_normalize_pipeline_cleans_every_text_field() -> None:
    item = article(
        title="  Probe\nreaches   orbit ", section=" Space\u200b ", summary="Summary&nbsp;text\n\n\n\nmore",
        body="Itâ€™s  here.\n\n\n\nAnd\x00 more.", authors=["By Jane Doe"], tags=["Mars", "NASA", "mars", " ", "Nasa "],
    )
    build(NormalizeTextPipeline).process_item(item)
    assert (item.title, item.section, item.summary) == ("Probe reaches orbit", "Space", "Summary text\n\nmore")
    assert item.body == "It’s here.\n\nAnd more."
    assert item.authors == ["Jane Doe"]
    assert item.tags == ["Mars", "NASA"]


def test_normalize_pipeline_handles_dict_items_with_odd_values() -> None:
    item = {"url": "https://news.example/x", "title": "\u200b", "authors": "By Jane Doe", "tags": ["A", 3, "a"]}
    build(NormalizeTextPipeline).process_item(item)
    assert item == {"url": "https://news.example/x", "title": None, "authors": ["Jane Doe"], "tags": ["A"]}


# --- strip boilerplate -----------------------------------------------------------------------

P1 = "Engineers confirmed on Tuesday that the orbiter had reached its planned orbit after a burn."
P2 = "The mission will map the planet's surface for two years, the agency said in a statement."


@pytest.mark.parametrize("tail", [
    "Leave a Reply\n\nYour email address will not be published. Required fields are marked *\n\nComment\n\nPost Comment",
    "3 thoughts on “Probe reaches orbit”\n\nAnna says: Great news, thank you for the report!",
    "Comments are closed.",
    "{ 2 comments }\n\nAlice: Thank you for the podcast link!",
    "Comments on this entry are closed.",
    "12 Comments\n\nBob: I watched the whole thing live and it was great.",
    "Schreibe einen Kommentar\n\nDeine E-Mail-Adresse wird nicht veröffentlicht.",
    "Laisser un commentaire\n\nVotre adresse e-mail ne sera pas publiée.",
    "Deja una respuesta\n\nTu dirección de correo electrónico no será publicada.",
])
def test_strip_cuts_a_trailing_comment_section(tail: str) -> None:
    assert strip_boilerplate(f"{P1}\n\n{P2}\n\n{tail}") == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("prompt", [
    "Share this:\nClick to share on Twitter (Opens in new window)\nFacebook\nEmail",
    "Follow us on Twitter @Spacedotcom and on Facebook.",
    "Sign up for our newsletter to get the latest space news in your inbox.",
    "Subscribe to our weekly launch digest.",
    "Related: NASA picks landing site for next rover",
    "Read more: How the orbiter will map the planet",
    "Related stories\nNASA picks landing site for next rover\nWhy the red planet keeps surprising us",
    "Credit: NASA/JPL-Caltech",
    "An artist's view of the orbiter above the planet.\nCredit: NASA/JPL-Caltech",
    "Photo: AFP",
    "Space News will soon launch Orbit Weekly, a newsletter bringing you the inside track on every launch, "
    "what the agencies are up to in public and what happens behind the doors of mission control. Sign up here.",
    "Explore further\nNeanderthals made tools with tar",
    "The orbiter above the planet in an artist's view. (Image credit: NASA/JPL-Caltech)",
    "Advertisement",
    "Tags: Mars, orbiters",
    "Image 1 of 8\nBack to Gallery",  # a gallery's controls, on a page naming nothing
    "Most popular\nNASA picks landing site for next rover\nWhy the red planet keeps surprising us",
    "NASA picks landing site for next rover NASA picks landing site for next rover",  # a teaser card's two texts
])
def test_strip_removes_prompt_lines_in_the_middle(prompt: str) -> None:
    assert strip_boilerplate(f"{P1}\n\n{prompt}\n\n{P2}") == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("paragraph", [
    "The agency said its newsletter, which it began sending in 1995, now reaches two million readers.",
    "Sign up for our newsletter, the mission's lead wrote in an email to colleagues years ago, was the line "
    "that opened every one of her talks, and it became a running joke among the team as the launch slipped.",
    "Share the data openly, the panel recommended, so that researchers outside the agency can check it.",
    "Comments from the review board were mostly positive.",
    "See the chart below: the orbit dips to 300 km at its lowest point.",
    "More from the briefing: engineers expect the first images within a week.",
    "Countdown. Countdown.",  # a sentence said twice is the writer's
    "la la la la la la la la la la la la",
    "Of the 12 of 20 instruments tested, most passed.",
    "4 / 5",  # a rating, not a gallery's counter
    "Popular uprising",  # a subheading
    "Close",
])
def test_strip_keeps_article_sentences_that_mention_a_marker(paragraph: str) -> None:
    body = f"{P1}\n\n{paragraph}\n\n{P2}"
    assert strip_boilerplate(body) == body


def test_strip_keeps_the_subheading_after_an_orphaned_related_heading() -> None:
    body = f"{P1}\n\nRelated stories\n\nThe next steps\n\n{P2}"
    assert strip_boilerplate(body) == f"{P1}\n\nThe next steps\n\n{P2}"


def test_strip_removes_a_closing_introduction_to_links_that_are_gone() -> None:
    assert strip_boilerplate(f"{P1}\n\n{P2}\n\nAlso see:\n\nLearn more about the planets:") == f"{P1}\n\n{P2}"


def test_strip_keeps_the_article_when_a_comment_count_sits_in_the_byline() -> None:
    assert strip_boilerplate(f"12 comments\n\n{P1}\n\n{P2}") == f"{P1}\n\n{P2}"


def test_strip_removes_the_closing_author_bio_only() -> None:
    bio = "Jane Doe is a staff writer who covers planetary science and the search for life."
    assert strip_boilerplate(f"{P1}\n\n{P2}\n\n{bio}", authors=["Jane Doe"]) == f"{P1}\n\n{P2}"
    closing_fact = "Bill Nelson is the NASA administrator who announced the mission in 2021."
    body = f"{P1}\n\n{P2}\n\n{closing_fact}"
    assert strip_boilerplate(body, authors=["Jane Doe"]) == body


def test_strip_pipeline_sets_word_count() -> None:
    item = article(body="One two three.\n\nShare this:\nTwitter\n\nFour five-six.\n\nLeave a Reply\n\nSeven")
    build(StripBoilerplatePipeline).process_item(item)
    assert item.body == "One two three.\n\nFour five-six."
    assert item.word_count == 6


def test_strip_pipeline_drops_a_body_that_was_all_boilerplate() -> None:
    item = article(body="Leave a Comment\n\nGreat article, thanks for writing it!")
    dropped(build(StripBoilerplatePipeline), item, "empty_after_boilerplate")
    dropped(build(StripBoilerplatePipeline), {"url": "https://news.example/x"}, "empty_after_boilerplate")


# --- parse dates -----------------------------------------------------------------------------

UTC = UTC


@pytest.mark.parametrize(("text", "site_timezone", "language", "instant"), [
    ("2024-03-05T10:15:00Z", None, None, datetime(2024, 3, 5, 10, 15, tzinfo=UTC)),
    ("2024-03-05T10:15:00+0000", None, None, datetime(2024, 3, 5, 10, 15, tzinfo=UTC)),
    ("2024-03-05T11:15:00.250+01:00", "America/New_York", None, datetime(2024, 3, 5, 10, 15, 0, 250000, tzinfo=UTC)),
    ("Tue, 05 Mar 2024 10:15:00 -0500", None, None, datetime(2024, 3, 5, 15, 15, tzinfo=UTC)),
    ("Tue, 05 Mar 2024 10:15:00 GMT", "Europe/Berlin", None, datetime(2024, 3, 5, 10, 15, tzinfo=UTC)),
    ("Tue, 05 Mar 2024 10:15:00 CEST", None, None, datetime(2024, 3, 5, 8, 15, tzinfo=UTC)),
    # no offset: the site's zone, in winter and in summer; UTC for a site without one
    ("2024-03-05 10:15", "America/New_York", None, datetime(2024, 3, 5, 15, 15, tzinfo=UTC)),
    ("2024-06-05T10:15:00", "America/New_York", None, datetime(2024, 6, 5, 14, 15, tzinfo=UTC)),
    # a day without a time stays that calendar day, at midnight UTC, whatever the zone
    ("2024-03-05", "Europe/Berlin", None, datetime(2024, 3, 5, 0, 0, tzinfo=UTC)),
    ("2024-03-05T00:00", "Europe/Berlin", None, datetime(2024, 3, 4, 23, 0, tzinfo=UTC)),  # midnight shown is a time
    ("2024-03-05 10:15", None, None, datetime(2024, 3, 5, 10, 15, tzinfo=UTC)),
    # "ET" and "PT" follow daylight saving
    ("June 5, 2024 at 3:15 pm ET", None, None, datetime(2024, 6, 5, 19, 15, tzinfo=UTC)),
    ("January 5, 2024 at 3:15 pm ET", "Europe/Berlin", None, datetime(2024, 1, 5, 20, 15, tzinfo=UTC)),
    ("Updated: Wed, Jun. 5, 2024, 3:15 p.m. PT", None, None, datetime(2024, 6, 5, 22, 15, tzinfo=UTC)),
    ("2024/06/05 3:15 PM ET", None, "en", datetime(2024, 6, 5, 19, 15, tzinfo=UTC)),
    ("5 June 2024 12:00 am EST", None, None, datetime(2024, 6, 5, 5, 0, tzinfo=UTC)),
    ("December 24th, 2023", "America/Los_Angeles", None, datetime(2023, 12, 24, 0, 0, tzinfo=UTC)),
    # other languages, through dateparser
    ("3. März 2024", "Europe/Berlin", "de", datetime(2024, 3, 3, 0, 0, tzinfo=UTC)),
    ("12 janvier 2023 à 14h30", "Europe/Paris", "fr", datetime(2023, 1, 12, 13, 30, tzinfo=UTC)),
    ("2024年3月5日", "Asia/Tokyo", "ja", datetime(2024, 3, 5, 0, 0, tzinfo=UTC)),
    ("2024年3月5日 01時28分", "Asia/Tokyo", "ja", datetime(2024, 3, 4, 16, 28, tzinfo=UTC)),
    ("2024年3月5日 10时30分", "Asia/Shanghai", "zh", datetime(2024, 3, 5, 2, 30, tzinfo=UTC)),
    ("게시일 2024.03.05", "Asia/Seoul", "ko", datetime(2024, 3, 5, 0, 0, tzinfo=UTC)),  # the 시 of a label is no hour
    ("5 mars 2024 à 15h", "Europe/Paris", "fr", datetime(2024, 3, 5, 14, 0, tzinfo=UTC)),
    ("5 March 2024 JST", None, "en", datetime(2024, 3, 5, 0, 0, tzinfo=UTC)),  # a day in its own zone is that day
    ("5 марта 2024, 14:00", "Europe/Moscow", "ru", datetime(2024, 3, 5, 11, 0, tzinfo=UTC)),
    ("5 de marzo de 2024", None, "es-MX", datetime(2024, 3, 5, 0, 0, tzinfo=UTC)),
    ("3. März 2024", "Europe/Berlin", None, datetime(2024, 3, 3, 0, 0, tzinfo=UTC)),  # language detected
    # numeric dates in the page's language's order
    ("06.01.2024", "Europe/Berlin", "de", datetime(2024, 1, 6, 0, 0, tzinfo=UTC)),
    ("01/06/2024", None, "en", datetime(2024, 1, 6, 0, 0, tzinfo=UTC)),
    # a label after the date that no parser reads with it, cut: two languages mixed, an update label
    ("December 16, 2023, 12:30 Uhr", "Europe/Berlin", "de", datetime(2023, 12, 16, 11, 30, tzinfo=UTC)),
    ("March 5, 2024 10:15 GMT | Updated", None, "en", datetime(2024, 3, 5, 10, 15, tzinfo=UTC)),
    ("March 5, 2024 10:15 GMT (last updated)", None, "en", datetime(2024, 3, 5, 10, 15, tzinfo=UTC)),
    ("March 5, 2024 — 2 min read", None, "en", datetime(2024, 3, 5, 0, 0, tzinfo=UTC)),
    # relative to the fetch time
    ("3 hours ago", None, "en", FETCHED_AT - timedelta(hours=3)),
    # whole days back are a day, not the crawl's clock on it
    ("vor 2 Tagen", "Europe/Berlin", "de", datetime(2024, 6, 8, 0, 0, tzinfo=UTC)),
    ("gestern", "Europe/Berlin", "de", datetime(2024, 6, 9, 0, 0, tzinfo=UTC)),
    ("gestern, 10:30 Uhr", "Europe/Berlin", "de", datetime(2024, 6, 9, 8, 30, tzinfo=UTC)),  # on the page's clock
    ("5 mars 2024 CET", None, "fr", datetime(2024, 3, 5, 0, 0, tzinfo=UTC)),  # a day in a named zone is that day
    ("5 mars 2024 10:15 CEST", None, "fr", datetime(2024, 3, 5, 8, 15, tzinfo=UTC)),
    ("3 часа назад", "Europe/Moscow", "ru", FETCHED_AT - timedelta(hours=3)),
])
def test_parse_dates_gives_the_instant(text: str, site_timezone: str | None, language: str | None,
                                       instant: datetime) -> None:
    pipeline = build(ParseDatesPipeline)
    item = pipeline.process_item(article(published=text, modified=text, timezone=site_timezone, language=language))
    assert item.published == instant and item.published.utcoffset() == timedelta(0)
    assert item.modified == instant
    assert pipeline.stats.get_value("spacecrawl/dates/unparsed") is None


@pytest.mark.parametrize("text", ["soon", "not a date", "10:30", "March 2024", "March 2024 | 12 comments",
                                  "Sep 2023 5 min read", "now", "just now", "2024-13-45",
                                  "February 30, 2024", "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00",
                                  "999999999999999 hours ago", "\x00\x01"])
def test_parse_dates_counts_what_it_cannot_read(text: str) -> None:
    pipeline = build(ParseDatesPipeline)
    item = pipeline.process_item(article(published=text, language="en"))
    assert item.published is None
    assert pipeline.stats.get_value("spacecrawl/dates/unparsed") == 1


@pytest.mark.parametrize("text", ["2024-06-12T12:00:00Z", "1985-01-01", "in 3 days"])
def test_parse_dates_discards_implausible_dates(text: str) -> None:
    pipeline = build(ParseDatesPipeline)
    item = pipeline.process_item(article(published=text, modified="2024-06-11T11:00:00Z"))
    assert item.published is None
    assert item.modified == datetime(2024, 6, 11, 11, 0, tzinfo=UTC)  # within a day of the fetch
    assert pipeline.stats.get_value("spacecrawl/dates/implausible") == 1


def test_parse_dates_takes_datetimes_and_leaves_missing_fields_missing() -> None:
    pipeline = build(ParseDatesPipeline)
    item = pipeline.process_item(article(published=datetime(2024, 6, 5, 10, 0), timezone="Europe/Berlin",
                                         modified=datetime(2024, 6, 5, 10, 0, tzinfo=timezone(timedelta(hours=2)))))
    assert item.published == item.modified == datetime(2024, 6, 5, 8, 0, tzinfo=UTC)
    assert item.published.tzinfo is UTC
    plain = pipeline.process_item({"url": "https://news.example/x", "published": "2024-06-05T08:00:00Z",
                                   "fetched_at": "2024-06-10T12:00:00Z"})
    assert plain["published"] == datetime(2024, 6, 5, 8, 0, tzinfo=UTC) and "modified" not in plain
    assert pipeline.process_item(article(published=None, timezone="Not/AZone")).published is None
    assert pipeline.stats.get_value("spacecrawl/dates/unparsed") is None


@pytest.mark.parametrize(("text", "without_time"), [
    ("June 5, 2024", True), ("gestern", True), ("2024-06-05", True),
    ("2024-06-05T00:00:00Z", False),  # midnight shown is a time
    ("2024-06-05T20:00:00-04:00", False),  # 00:00 UTC, shown as 20:00 in New York
    ("June 5, 2024 3:15 pm", False),
])
def test_parse_dates_marks_a_day_given_without_a_time(text: str, without_time: bool) -> None:
    item = build(ParseDatesPipeline).process_item(article(published=text, language="de" if text == "gestern" else "en"))
    assert item.published is not None and item.published_without_time is without_time
    plain = build(ParseDatesPipeline).process_item({"url": "https://news.example/x", "published": text})
    assert "published_without_time" not in plain  # a dict item gets no field it did not have


def test_parse_dates_rejects_a_bad_earliest_setting() -> None:
    with pytest.raises(ValueError, match="SPACECRAWL_DATES_EARLIEST='last year' is not an ISO 8601 date"):
        build(ParseDatesPipeline, SPACECRAWL_DATES_EARLIEST="last year")


# --- deduplicate -----------------------------------------------------------------------------


def test_deduplicate_sets_a_content_hash_that_ignores_spacing_and_case() -> None:
    deduplicate = build(DeduplicatePipeline)
    first = deduplicate.process_item(article())
    assert len(first.content_hash) == 64 and int(first.content_hash, 16) >= 0
    respaced = article(url="https://news.example/other", title="PROBE  reaches orbit", body=BODY.replace(" ", "  "))
    dropped(deduplicate, respaced, "duplicate_content")
    assert respaced.content_hash == first.content_hash


def test_deduplicate_drops_a_repeated_canonical_url() -> None:
    deduplicate = build(DeduplicatePipeline)
    deduplicate.process_item(article(url="https://news.example/a?x=1&y=2"))
    dropped(deduplicate, article(url="https://news.example/a?y=2&x=1#comments", body=BODY + " Updated."),
            "duplicate_url")


def test_deduplicate_keeps_different_articles() -> None:
    deduplicate = build(DeduplicatePipeline)
    one = deduplicate.process_item(article(url="https://news.example/one"))
    two = deduplicate.process_item(article(url="https://news.example/two", body=BODY + " A new paragraph."))
    three = deduplicate.process_item(replace(article(url="https://news.example/three"), title="Another title"))
    assert len({one.content_hash, two.content_hash, three.content_hash}) == 3
    assert deduplicate.stats.get_stats() == {}

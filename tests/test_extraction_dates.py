"""Dates: declared and shown publication dates, other languages, the URL's day, updates, relative
dates, and the time zone a page's local time is read in."""

from __future__ import annotations

from datetime import datetime, UTC

import pytest

from crawler.extraction import extract_article
from tests.extraction_pages import PARAGRAPHS, page


def test_visible_date_text_is_kept_as_found_when_nothing_is_declared():
    body = ("<article><h1>Headline</h1><div class='byline'>By Jane Doe</div>"
            "<span class='date'>Published March 3, 2024 at 10:15 am ET</span><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body)).published == "March 3, 2024 at 10:15 am ET"


def test_declared_date_with_offset_is_preferred_over_one_without():
    head = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2024-03-03T10:15:00\"}</script>"
            "<meta property='article:published_time' content='2024-03-03T15:15:00+00:00'>")
    assert extract_article("https://news.example/x", page("<p>Text.</p>", head=head)).published == "2024-03-03T15:15:00+00:00"


@pytest.mark.parametrize("shown, lang, found", [
    ("입력 2025.05.15 16:33", "ko", "2025.05.15 16:33"),
    ("게재 2025.05.15. 오후 4:33", "ko", "2025.05.15. 오후 4:33"),
    ("2025年5月15日 16:33", "ko", "2025年5月15日 16:33"),
    ("Veröffentlicht am 15. Mai 2025, 16:33 Uhr", "de", "15. Mai 2025, 16:33 Uhr"),
    ("Publicado el 15 de mayo de 2025 a las 16:33", "es", "15 de mayo de 2025 a las 16:33"),
    ("Veröffentlicht: 15.05.25 16:33", "de", "15.05.25 16:33"),  # a two-digit year
    ("App v10.12.24 · 15.05.25 16:33", "de", "15.05.25 16:33"),  # not a version number
])
def test_visible_dates_in_other_languages_are_found_and_parsed(shown, lang, found):
    from pipelines.parse_dates import parse_date

    body = f"<article><h1>Headline</h1><div class='date'>{shown}</div><p>Text.</p></article>"
    article = extract_article("https://news.example/x", page(body, lang=lang))
    assert article.published == found
    assert parse_date(article.published, language=lang) == datetime(2025, 5, 15, 16, 33, tzinfo=UTC)


@pytest.mark.parametrize("declared", ["기사입력 2025-05-15 16:33", "Stand: 2025.05.15 16:33 Uhr", "202505151633"])
def test_a_declared_date_behind_a_label_dateparser_does_not_know_still_parses(declared):
    from pipelines.parse_dates import parse_date

    assert parse_date(declared, language="ko") == datetime(2025, 5, 15, 16, 33, tzinfo=UTC)


@pytest.mark.parametrize("url, shown, found", [
    ("https://news.example/world/20230503/881.html", "<span class='time'>08:30</span> 03/05/2023",
     "2023-05-03T08:30"),  # read day first
    ("https://news.example/2023/03/05/launch/", "<span class='date'>03/05/2023, 08:30</span>",
     "2023-03-05T08:30"),  # read month first
    ("https://news.example/2023/03/05/launch/", "<span class='date'>03/05/23 08:30</span>",
     "2023-03-05T08:30"),  # with a two-digit year
    ("https://news.example/2023/03/05/launch/", "<span class='date'>Aktualisiert 06.03.23 · Erstellt "
     "05.03.2023, 08:30</span>", "2023-03-05T08:30"),  # the URL's day, not the first date shown
])
def test_the_urls_day_skips_the_header_clock_and_settles_day_month_order(url, shown, found):
    body = (f"<div class='header'><span class='clock-time'>14/5/2023 09:12</span></div>"
            f"<article><h1>Headline</h1><div class='info'>{shown}</div><p>Text.</p></article>")
    assert extract_article(url, page(body)).published == found


@pytest.mark.parametrize("elsewhere", [
    "<ol class='comment-list'><li><span class='comment-date'>March 9, 2024 at 4:31 pm</span> Great!</li></ol>",
    "<div class='related-posts'><span class='date'>March 9, 2024</span><a href='/other'>Another launch</a></div>",
    "<a href='/news/other-story'><span>Another launch, another satellite</span><span class='date'>March 9, 2024</span></a>",
])
def test_a_date_of_a_comment_or_another_story_is_not_the_articles(elsewhere):
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 20)  # comments and teasers follow the whole text
    body = f"<div class='page'><article><div class='head'><h1>Headline</h1><p>Lead.</p></div>{text}</article>{elsewhere}</div>"
    assert extract_article("https://news.example/news/launch", page(body)).published is None


def test_a_declared_time_in_a_related_story_is_not_the_articles():
    related = ("<aside><article><a href='/news/other'>Other</a>"
               "<time itemprop='datePublished' datetime='2024-03-09T10:00:00Z'>March 9</time></article></aside>")
    body = (f"<main><article><header><h1>Headline</h1><time datetime='2024-03-03T08:00:00Z'>March 3</time></header>"
            f"<p>{PARAGRAPHS[0]}</p></article>{related}</main>")
    assert extract_article("https://news.example/news/launch", page(body)).published == "2024-03-03T08:00:00Z"


@pytest.mark.parametrize("line, found", [
    ("<span>10.11.2025 17:59</span>", "10.11.2025 17:59"),  # a dateline no class names
    ("<span>2025年1月14日 01時28分</span>", "2025年1月14日 01時28分"),
    ("<p>Posted 3 hours ago</p>", "3 hours ago"),
    ("<span>19.04.2026 19:45</span><span>Publ</span>", "19.04.2026 19:45"),  # a word after it is no zone
    ("<div class='byline-timestamp'> 2024-02-14T16:15:30Z </div>", "2024-02-14T16:15:30Z"),  # shown before a script formats it
    # a <time> whose value gives only the day shows its time in the text
    ("<time datetime='2024-02-14'>Published 14/02/2024 - 16:17</time>", "2024-02-14T16:17"),
    ("<time datetime='2024-04-03'>03/04/2024, 4:17 pm</time>", "2024-04-03T16:17"),  # the value settles the day
    ("<time datetime='2024-13-45'>Published 13/45/2024 - 16:17</time>", "2024-13-45"),  # no day: kept as found
    # a text that says more of its time than a bare clock is read whole
    ("<time datetime='2024-02-14'>February 14, 2024, 4:17 pm ET</time>", "February 14, 2024, 4:17 pm ET"),
    ("<time datetime='2024-02-14'>2024.02.14 오후 4:17</time>", "2024.02.14 오후 4:17"),
])
def test_a_date_on_a_line_just_after_the_headline_is_found(line, found):
    body = f"<article><h1>Headline</h1><div class='x1'>{line}</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/news/launch", page(body)).published == found


def test_a_malformed_link_around_a_date_is_passed_over():
    body = (f"<div><h1>Headline</h1></div><div><p>{PARAGRAPHS[0]}</p><a href='http://[x'>A longer link text around "
            f"the date here <time datetime='2024-03-05'>5 March</time></a></div>")
    assert extract_article("https://news.example/launch", page(body)).published == "2024-03-05"  # no link to tell


def test_a_time_value_that_is_no_date_gives_way_to_the_urls_day():
    body = f"<article><h1>Headline</h1><time datetime='2024-13-45T10:00'>soon</time><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/2024/04/03/launch", page(body)).published == "2024-04-03"


def test_the_url_settles_the_order_of_a_numeric_date_set_apart_from_its_time_by_a_dash():
    body = f"<article><h1>Headline</h1><div class='x1'>03/04/2024 - 16:17</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/2024/04/03/launch", page(body)).published == "2024-04-03T16:17"


def test_a_relative_date_counts_back_from_the_fetch():
    from pipelines.parse_dates import parse_date

    body = f"<article><h1>Headline</h1><div class='x1'>Published 3 hours ago</div><p>{PARAGRAPHS[0]}</p></article>"
    shown = extract_article("https://news.example/news/launch", page(body)).published
    fetched = datetime(2024, 3, 3, 12, 0, tzinfo=UTC)
    assert parse_date(shown, relative_base=fetched) == datetime(2024, 3, 3, 9, 0, tzinfo=UTC)


def test_the_date_by_the_headline_wins_over_the_header_clock_before_it():
    body = (f"<header><span class='today-date'>Tuesday, November 25 2025</span></header>"
            f"<article><h1>Headline</h1><p><span>November 6, 2025</span> Jane Doe</p><p>{PARAGRAPHS[0]}</p></article>")
    assert extract_article("https://news.example/news/launch", page(body)).published == "November 6, 2025"


@pytest.mark.parametrize("meta", [
    "<span class='date'>Updated March 9, 2024 at 4:31 pm</span><span class='date'>Published March 3, 2024</span>",
    "<span class='date'>Published March 3, 2024 · Updated March 9, 2024</span>",
])
def test_a_date_labelled_as_an_update_is_not_the_publication(meta):
    body = f"<article><h1>Headline</h1><div class='meta'>{meta}</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/news/launch", page(body)).published == "March 3, 2024"


def test_an_update_date_is_kept_when_it_is_the_only_one_shown():
    body = f"<article><h1>Headline</h1><div class='date'>Updated March 9, 2024</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/news/launch", page(body)).published == "March 9, 2024"


@pytest.mark.parametrize("shown, found", [
    ("<span class='date'>Updated 2010 GMT March 14, 2021</span>", "2021-03-08"),  # another day than the URL's
    ("<span class='x'>Published 1 day ago</span>", "2021-03-08"),  # the URL's day is surer than "1 day ago"
    ("<span class='date'>March 8, 2021, 11:15 GMT</span>", "March 8, 2021, 11:15 GMT"),
])
def test_the_urls_day_rules_out_other_days_and_stands_in_for_none(shown, found):
    body = f"<article><h1>Headline</h1><div class='byline'>{shown}</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/2021/03/08/royal-interview/", page(body)).published == found


@pytest.mark.parametrize("url, tags, zone", [
    ("https://www.zeitung.at/politik/x", ["de"], "Europe/Vienna"),  # the domain's country
    ("https://www.journal.ch/x", ["fr-FR"], "Europe/Zurich"),  # the domain outweighs the language
    ("https://news.example.co.uk/x", [], "Europe/London"),
    ("https://news.example/x", ["en-GB"], "Europe/London"),  # a language tag's region
    ("https://news.example/x", ["", "de_AT"], "Europe/Vienna"),  # og:locale's form
    ("https://news.example/x", ["ko"], "Asia/Seoul"),  # where the language is mostly spoken
    ("https://startup.io/x", ["ja"], "Asia/Tokyo"),  # .io says nothing of a country
    ("https://news.example/x", ["en"], None),  # the United States keep many clocks
    ("https://news.example/x", ["es"], None),  # so does Spain, with the Canaries
    ("https://nouvelles.example.ca/x", ["fr"], None),  # and Canada: no French guess for a Canadian site
    ("https://news.example/x", [], None),
    ("https://news.example/x", ["fr-CA", "fr"], None),  # a region outweighs the language: Canada, not France
    ("https://www.zeitung.at./x", ["de"], "Europe/Vienna"),  # a fully qualified host
    ("https://space.example.eu/x", ["de-DE"], "Europe/Berlin"),  # .eu names no country
])
def test_the_zone_of_a_page_comes_from_its_domain_or_language_when_one_clock_fits(url, tags, zone):
    from crawler.extraction.zone import page_zone

    assert page_zone(url, tags) == zone


def test_a_local_time_shown_without_offset_is_read_in_the_zone_of_the_pages_country():
    from scrapy.utils.project import get_project_settings

    from crawler.sitekit.offline import OfflineRun

    def dated_page(paragraphs: list[str], lang: str) -> str:
        return page("<article><h1>Satellite reaches orbit</h1><div class='date'>15.05.2025, 16:33 Uhr</div>"
                    + "".join(f"<p>{p}</p>" for p in paragraphs * 3) + "</article>", lang=lang)

    settings = get_project_settings()
    settings.set("SPACECRAWL_SITES_FILE", None)
    run = OfflineRun(settings)
    summer_in_vienna = run.process("https://www.zeitung.at/wissen/satellit", dated_page(PARAGRAPHS, "de"))
    assert summer_in_vienna.timezone == "Europe/Vienna"
    assert summer_in_vienna.published == datetime(2025, 5, 15, 14, 33, tzinfo=UTC)
    unknown_clock = run.process("https://news.example/space/satellite", dated_page(PARAGRAPHS[::-1], "en"))
    assert unknown_clock.published == datetime(2025, 5, 15, 16, 33, tzinfo=UTC)  # as written: UTC


def test_a_sites_own_timezone_outweighs_the_zone_its_pages_suggest():
    from crawler.sites.base import Site
    from crawler.spiders.article_page import article_from_page

    html = page("<article><h1>Satellit</h1><p>Text.</p></article>", lang="de")
    assert article_from_page(None, "https://www.zeitung.de/x", html).timezone == "Europe/Berlin"
    site = Site(name="zeitung", domains=("zeitung.de",), feeds=("https://www.zeitung.de/feed",), timezone="America/New_York")
    assert article_from_page(site, "https://www.zeitung.de/x", html).timezone == "America/New_York"


def test_a_chinese_page_without_an_offset_is_read_on_beijing_time():
    from pipelines.parse_dates import parse_date

    body = "<article><h1>Headline</h1><div class='info'>2024年03月05日 20:31</div><p>Text.</p></article>"
    article = extract_article("https://news.example/zh/launch", page(body, lang="zh-CN"))
    assert article.timezone == "Asia/Shanghai"
    assert parse_date(article.published, language="zh", site_timezone=article.timezone) == datetime(2024, 3, 5, 12, 31, tzinfo=UTC)

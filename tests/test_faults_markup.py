"""Markup that raised: each cause fixed where it lay, and the guard that keeps the next one to its
page (a crawl's line and drop count, `scrapy extract --manifest`'s record), and feeds whose
entities attack the parser."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.selector import Selector
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.extraction import extract_article
from crawler.ops.run_stats import DROPPED_PREFIX
from crawler.sites.base import Site
from crawler.sitekit.offline import OfflineRun
from crawler.spiders import article_page
from crawler.spiders.extraction_worker import outcome
from crawler.spiders.site import SiteSpider, without_doctype
from pipelines.deduplicate import DeduplicatePipeline
from tests.helpers import REPO

URL = "https://news.example/2024/03/03/rocket-lands/"
WORDS = " ".join(f"word{n}" for n in range(80))


def page(head: str = "", after_html: str = "", body: str = "") -> str:
    return (f"<html><head><title>Rocket lands</title>{head}</head><body><article><h1>Rocket lands</h1>"
            f"<p>{WORDS}</p>{body}</article></body></html>{after_html}")


@pytest.mark.parametrize("declared", ["https://[example.com/a", "http://exa<mple.com/a", "http://news.example:port/a",
                                      "http://news.example:99999/a", "https://%zz%/x"])
def test_a_declared_address_no_url_parser_reads_is_not_taken_and_the_page_passes_every_stage(declared):
    html = page(f'<link rel="canonical" href="{declared}"><meta property="og:image" content="{declared}">')
    article = extract_article(URL, html)
    assert (article.url, article.image) == (URL, None)
    processed = OfflineRun(get_project_settings()).process(URL, html)
    assert processed.url == URL and processed.content_hash


def test_a_valid_canonical_is_still_taken():
    assert extract_article(URL, page('<link rel="canonical" href="/2024/03/03/rocket-lands-2/">')).url == \
        "https://news.example/2024/03/03/rocket-lands-2/"


def test_deduplicate_compares_an_address_w3lib_refuses_as_written():
    stage = DeduplicatePipeline(get_crawler().stats)
    item = {"url": "http://exa<mple.com/a", "title": "t", "body": "b"}
    assert stage.process_item(dict(item)) is not None
    with pytest.raises(DropItem, match="duplicate_url"):  # another page declaring the same address
        stage.process_item(dict(item, body="other", fetched_url="http://exa<mple.com/a?page=2"))


def test_a_json_ld_reference_whose_id_is_a_list_names_nothing():
    jsonld = '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Rocket lands", "publisher": {"@id": ["x"]}}'
    assert extract_article(URL, page(f'<script type="application/ld+json">{jsonld}</script>')).title == "Rocket lands"


def test_control_characters_in_text_do_not_reach_lxml():
    html = page(body='<p>a\x01b\x0bc\x0cd</p><div class="sr-only">x</div>tail\x02')
    body = extract_article(URL, html).body
    assert WORDS in body and not any(ch in body for ch in "\x01\x02\x0b\x0c")


def test_what_follows_the_closing_html_tag_does_not_break_the_dates():
    article = extract_article(URL, page(after_html='<div class="date">March 3, 2024</div><time>x</time>'))
    assert article.title == "Rocket lands" and article.published == "2024-03-03"  # the URL's day


def test_a_title_thousands_of_characters_long_is_no_title():
    # (As a <title> left open reads: the page swallowed. Its 2,000 separators took minutes to read.)
    swallowing = page().replace("<title>Rocket lands", "<title>Rocket lands" + " | part" * 2000)
    assert extract_article(URL, swallowing).title == "Rocket lands"


# --- the guard: whatever extraction raises costs its page alone -------------------------------

@pytest.fixture
def broken_extraction(monkeypatch):
    """Extraction raises (as a bug would) on pages whose address holds "boom"."""
    real = article_page.extract_article

    def extract(url, html, **kwargs):
        if "boom" in url:
            raise KeyError("no such element")
        return real(url, html, **kwargs)

    monkeypatch.setattr(article_page, "extract_article", extract)


def test_an_extraction_error_is_dropped_as_extraction_error_with_the_page_and_place(broken_extraction):
    run = OfflineRun(get_project_settings())
    with pytest.raises(DropItem) as dropped:
        run.process("https://news.example/boom/", page())
    assert str(dropped.value).startswith("extraction_error: https://news.example/boom/: KeyError: 'no such element' "
                                         "(at tests/test_faults_markup.py:")
    assert run.stats[DROPPED_PREFIX + "extraction_error"] == 1
    assert run.process(URL, page()).title == "Rocket lands"


def test_an_extraction_error_crosses_from_a_worker_as_one_picklable_error(broken_extraction):
    import pickle

    from crawler.spiders.extraction_worker import HEADER
    ok, error = pickle.loads(outcome((None, "https://news.example/boom/", page().encode(), "utf-8", None))[HEADER.size:])
    assert not ok and isinstance(error, article_page.ExtractionError) and "KeyError" in str(error)


def test_a_crawl_logs_an_extraction_error_in_one_line_and_counts_it(broken_extraction, caplog):
    spider_class = SiteSpider.for_site(Site(name="news", domains=("news.example",), feeds=("https://news.example/feed/",)))
    crawler = get_crawler(spider_class, {"SPACECRAWL_EXTRACTION_WORKERS": 0})
    crawler.spider = spider = spider_class.from_crawler(crawler)
    response = HtmlResponse("https://news.example/boom/", body=page().encode(), encoding="utf-8",
                            request=Request("https://news.example/boom/"))

    async def articles() -> list:
        return [article async for article in spider.parse_article(response)]

    assert asyncio.run(articles()) == []
    assert crawler.stats.get_value(DROPPED_PREFIX + "extraction_error") == 1
    [record] = [r for r in caplog.records if "extraction_error" in r.getMessage()]
    assert record.levelname == "ERROR" and "https://news.example/boom/" in record.getMessage() and not record.exc_info


def test_extract_manifest_reports_an_extraction_error_as_that_pages_drop_not_a_bad_line(tmp_path):
    (tmp_path / "good.html").write_text(page(), encoding="utf-8")
    (tmp_path / "bad.html").write_text(page(), encoding="utf-8")
    (tmp_path / "cases.jsonl").write_text(
        json.dumps({"id": "bad", "url": "https://news.example/boom/", "html": "bad.html"}) + "\n"
        + json.dumps({"id": "good", "url": URL, "html": "good.html"}) + "\n", encoding="utf-8")
    # `scrapy extract` as typed, with extraction made to raise on the "boom" page (as a bug would).
    inject = ("import sys; import crawler.spiders.article_page as p; real = p.extract_article; "
              "p.extract_article = lambda url, html, **kw: 1 / 0 if 'boom' in url else real(url, html, **kw); "
              "from scrapy.cmdline import execute; sys.argv = ['scrapy'] + sys.argv[1:]; execute()")
    result = subprocess.run([sys.executable, "-c", inject, "extract", "--manifest", str(tmp_path / "cases.jsonl"),
                             "-o", str(tmp_path / "out.jsonl")], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    bad, good = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert bad["id"] == "bad" and bad["dropped"].startswith(
        "extraction_error: https://news.example/boom/: ZeroDivisionError: division by zero")
    assert "error" not in bad and good["title"] == "Rocket lands"
    assert "dropped extraction_error 1" in result.stderr


# --- feeds ------------------------------------------------------------------------------------

LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
HOSTILE_DOCTYPE = (f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}'
                   '<!ENTITY xxe SYSTEM "file:///etc/passwd"><!-- a "]>" in a comment -->]>')


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_billion_laughs_entity_costs_only_its_own_item_and_nothing_external_is_read(kind):
    spider = SiteSpider.for_site(Site(name="news", domains=("news.example",), feeds=("https://news.example/feed/",)))()
    spider.settings = get_project_settings()  # (a crawl binds them; its article requests read a size limit)
    links = [f"https://news.example/2024/03/0{n}/story-{n}/" for n in range(1, 5)]
    if kind == "rss":
        items = "".join(f"<item><title>{title}</title><link>{link}</link></item>"
                        for title, link in zip(("one", "&lol9;", "&xxe;", "four"), links))
        feed = f'<?xml version="1.0"?>{HOSTILE_DOCTYPE}<rss version="2.0"><channel>{items}</channel></rss>'
    else:
        items = "".join(f'<entry><title>{title}</title><link href="{link}"/></entry>'
                        for title, link in zip(("one", "&lol9;", "&xxe;", "four"), links))
        feed = f'<?xml version="1.0"?>{HOSTILE_DOCTYPE.replace("rss", "feed")}<feed xmlns="http://www.w3.org/2005/Atom">{items}</feed>'
    response = XmlResponse("https://news.example/feed/", body=feed.encode())
    assert [request.url for request in spider.parse_feed(response)] == links
    titles = Selector(text=without_doctype(response.text), type="xml").xpath("//*[local-name()='title']//text()")
    assert titles.getall() == ["one", "four"]  # the entities' items lose their text, and no file is read


def test_a_meta_author_tens_of_kilobytes_long_without_a_space_is_read_in_linear_time():
    # (Its regexes were quadratic in such a token: minutes for one page, found by benchmarks.fuzz.)
    html = page(f'<meta name="author" content="https://www.facebook.com/x{"<li>" * 20000}">')
    assert extract_article(URL, html).title == "Rocket lands"

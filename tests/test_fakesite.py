"""The fake site itself: what it serves matches what it says a correct crawl should find."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.robotparser import RobotFileParser

import lxml.html
import pytest

from crawler.sites.base import load_sites_file
from fakesite import FakeSite, serve
from tests.helpers import REPO

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
              "news": "http://www.google.com/schemas/sitemap-news/0.9"}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and raw body, without following redirects or decoding gzip."""
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def page(url: str) -> lxml.html.HtmlElement:
    status, _, body = fetch(url)
    assert status == 200, url
    return lxml.html.fromstring(body)


def json_ld_types(doc: lxml.html.HtmlElement) -> list[str]:
    types = []
    for script in doc.xpath('//script[@type="application/ld+json"]/text()'):
        for node in json.loads(script)["@graph"]:
            node_type = node["@type"]
            types += node_type if isinstance(node_type, list) else [node_type]
    return types


def news_article(doc: lxml.html.HtmlElement) -> dict:
    graph = json.loads(doc.xpath('//script[@type="application/ld+json"]/text()')[0])["@graph"]
    return next(node for node in graph if node["@type"] == "NewsArticle")


def listing_links(site: FakeSite) -> set[str]:
    """Every href on every page of every category listing, following rel=next."""
    links: set[str] = set()
    for url in site.listing_urls:
        while url:
            doc = page(url)
            links.update(doc.xpath("//a/@href"))
            url = next(iter(doc.xpath('//link[@rel="next"]/@href')), None)
    return links


def sitemap_locs(url: str) -> dict[str, str]:
    """loc -> lastmod of a sitemap, through an index if it is one."""
    status, _, body = fetch(url)
    assert status == 200, url
    root = ET.fromstring(body)
    if root.tag.endswith("sitemapindex"):
        found: dict[str, str] = {}
        for loc in root.findall("sm:sitemap/sm:loc", SITEMAP_NS):
            found.update(sitemap_locs(loc.text))
        return found
    return {u.findtext("sm:loc", namespaces=SITEMAP_NS): u.findtext("sm:lastmod", namespaces=SITEMAP_NS)
            for u in root.findall("sm:url", SITEMAP_NS)}


@pytest.fixture(scope="module")
def site() -> Iterator[FakeSite]:
    fake = FakeSite(24, seed=7, per_page=5, feed_items=6)
    with serve(fake):
        yield fake


def test_feed_lists_the_newest_articles_except_the_listing_only_one(site: FakeSite) -> None:
    status, headers, body = fetch(site.feed_url)
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(body).findall("channel/item")
    expected = [a for a in site.expected_articles() if a.in_feed]
    assert len(expected) == len(items) == 6
    assert [i.findtext("link") for i in items] == [a.url for a in expected]
    assert [parsedate_to_datetime(i.findtext("pubDate")) for i in items] == [a.published for a in expected]
    newest = site.expected_articles()[:7]
    assert [a.listing_only for a in newest].count(True) == 1 and not any(a.in_feed and a.listing_only for a in newest)


def test_sitemaps_list_every_article_but_the_listing_only_one_with_lastmod(site: FakeSite) -> None:
    articles = site.expected_articles()
    posts = sitemap_locs(site.sitemap_urls[0])
    visible = {a.url: a for a in articles if not a.listing_only}
    assert visible.keys() <= posts.keys()
    assert set(posts) - set(visible) == {site.url("/"), *site.non_article_urls}
    assert all(datetime.fromisoformat(posts[url]) == a.modified for url, a in visible.items())
    news = sitemap_locs(site.sitemap_urls[1])
    assert list(news) == [a.url for a in articles if a.in_feed]
    root = ET.fromstring(fetch(site.sitemap_urls[1])[2])
    dates = [datetime.fromisoformat(d.text) for d in root.iterfind(".//news:publication_date", SITEMAP_NS)]
    assert dates == [a.published for a in articles if a.in_feed]


def test_article_pages_show_what_expected_articles_says(site: FakeSite) -> None:
    for article in site.expected_articles():
        doc = page(article.url)
        assert doc.findtext(".//title") == f"{article.title} - Fake Space News"
        assert doc.xpath("//h1[@class='entry-title']")[0].text_content() == article.title
        assert doc.xpath('//link[@rel="canonical"]/@href') == [article.url]
        ld = news_article(doc)
        authors = ld["author"] if isinstance(ld["author"], list) else [ld["author"]]
        assert (ld["headline"], [a["name"] for a in authors]) == (article.title, list(article.authors))
        assert datetime.fromisoformat(ld["datePublished"]) == article.published
        assert datetime.fromisoformat(ld["dateModified"]) == article.modified
        assert (ld["articleSection"], ld["keywords"]) == ([article.section], list(article.tags))
        shown = datetime.fromisoformat(doc.xpath("//time[contains(@class, 'published')]/@datetime")[0])
        assert shown == article.published
        assert doc.xpath("//a[@rel='author' or contains(@class, 'url fn')]/text()") == list(article.authors)
        content = doc.xpath("//div[@class='entry-content']")[0]
        body_paragraphs = [p.text_content() for p in content.xpath("./p") if p.text_content().strip()]
        assert body_paragraphs == list(article.paragraphs)
        assert [h.text_content() for h in content.xpath("./h2")] == list(article.subheadings)
        assert content.xpath("./ul/li/text()") == list(article.list_items)
        assert content.xpath("./blockquote/p/text()") == [article.quote]
        whole_page = doc.text_content() + "".join(doc.xpath("//@value | //@title"))
        for snippet in article.boilerplate:
            assert snippet in whole_page, snippet
            assert not any(snippet in p for p in article.paragraphs), snippet
        assert doc.xpath("//*[@id='comments']//ol[@class='comment-list']/li")
        assert doc.xpath("//*[@id='respond' and contains(@class, 'comment-respond')]")


def test_publication_offsets_vary(site: FakeSite) -> None:
    offsets = {page(a.url).xpath("//time[contains(@class, 'published')]/@datetime")[0][-6:]
               for a in site.expected_articles()}
    assert len(offsets) >= 3, offsets


def test_listing_pages_paginate_and_alone_link_the_listing_only_article(site: FakeSite) -> None:
    links = listing_links(site)
    articles = site.expected_articles()
    assert {a.url for a in articles} <= links
    assert any("/category/launch/page/2/" in link for link in links)
    hidden = next(a for a in articles if a.listing_only)
    other_pages = [site.url("/")] + [a.url for a in articles if a != hidden] + site.non_article_urls
    for url in other_pages:
        assert hidden.url.encode() not in fetch(url)[2], url


def test_robots_txt_disallows_a_page_the_listings_link(site: FakeSite) -> None:
    status, _, body = fetch(site.url("/robots.txt"))
    assert status == 200
    robots = RobotFileParser()
    robots.parse(body.decode().splitlines())
    assert not robots.can_fetch("spacecrawl", site.disallowed_url)
    assert not robots.can_fetch("spacecrawl", site.url("/wp-admin/options.php"))
    assert all(robots.can_fetch("spacecrawl", a.url) for a in site.expected_articles())
    assert robots.site_maps() == site.sitemap_urls
    assert site.disallowed_url in listing_links(site)
    assert fetch(site.disallowed_url)[0] == 200  # so only a crawler that obeys robots.txt misses it


def test_old_address_redirects_and_a_linked_article_is_missing(site: FakeSite) -> None:
    links = listing_links(site)
    redirected = site.expected_articles()[-1]
    assert site.redirect_url in links and site.missing_url in links
    status, headers, _ = fetch(site.redirect_url)
    assert (status, headers["Location"]) == (301, redirected.url)
    assert fetch(site.missing_url)[0] == 404
    assert fetch(site.url("/?p=999999"))[0] == 404
    status, headers, _ = fetch(redirected.url.rstrip("/"))
    assert (status, headers["Location"]) == (301, redirected.url)


def test_tracking_duplicate_declares_the_clean_canonical(site: FakeSite) -> None:
    assert site.duplicate_url in listing_links(site)
    clean = site.duplicate_url.split("?")[0]
    assert clean in {a.url for a in site.expected_articles()}
    assert page(site.duplicate_url).xpath('//link[@rel="canonical"]/@href') == [clean]


def test_non_article_pages_say_so_in_json_ld(site: FakeSite) -> None:
    links = listing_links(site)
    about, gallery = site.non_article_urls
    assert about in links and gallery in links
    assert "NewsArticle" not in json_ld_types(page(about))
    assert "CollectionPage" in json_ld_types(page(gallery))
    assert "NewsArticle" not in json_ld_types(page(gallery))


def test_sites_toml_is_a_valid_site_that_owns_the_articles(site: FakeSite, tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(site.sites_toml("fakespace"), encoding="utf-8")
    loaded = load_sites_file(path)["fakespace"]
    assert loaded.feeds == (site.feed_url,) and loaded.sitemaps == tuple(site.sitemap_urls)
    assert loaded.listing_pages == tuple(site.listing_urls)
    assert all(loaded.is_article_url(a.url) for a in site.expected_articles())


def test_conditional_requests_and_updates() -> None:
    fake = FakeSite(5, seed=3)
    with serve(fake):
        article = fake.expected_articles()[2]
        status, headers, body = fetch(article.url)
        assert status == 200
        etag, last_modified = headers["ETag"], headers["Last-Modified"]
        assert parsedate_to_datetime(last_modified) == article.modified
        assert fetch(article.url, If_None_Match=etag)[0] == 304
        assert fetch(article.url, If_Modified_Since=last_modified)[0] == 304
        earlier = parsedate_to_datetime(last_modified) - timedelta(seconds=1)
        assert fetch(article.url, If_Modified_Since=earlier.strftime("%a, %d %b %Y %H:%M:%S GMT"))[0] == 200
        assert fetch(article.url, If_None_Match='"other"', If_Modified_Since=last_modified)[0] == 200

        fake.update_article(2, "A late correction: the launch slipped by one day.")
        updated = fake.expected_articles()[2]
        assert updated.paragraphs[-1] == "A late correction: the launch slipped by one day."
        assert updated.modified > article.modified
        status, headers, new_body = fetch(article.url, If_None_Match=etag, If_Modified_Since=last_modified)
        assert status == 200 and headers["ETag"] != etag
        assert b"A late correction" in new_body and b"A late correction" not in body
        assert datetime.fromisoformat(news_article(lxml.html.fromstring(new_body))["dateModified"]) == updated.modified
        assert datetime.fromisoformat(sitemap_locs(fake.sitemap_urls[0])[article.url]) == updated.modified


def test_gzip_mode_serves_compressed_html_without_charset() -> None:
    fake = FakeSite(3, gzip=True)
    with serve(fake):
        url = fake.expected_articles()[0].url
        status, headers, body = fetch(url, Accept_Encoding="gzip, deflate")
        assert status == 200
        assert (headers["Content-Encoding"], headers["Content-Type"]) == ("gzip", "text/html")
        _, plain_headers, plain = fetch(url)
        assert "Content-Encoding" not in plain_headers
        assert gzip.decompress(body) == plain


def test_lazy_site_serves_the_same_pages_and_meta_charset_can_be_left_out() -> None:
    eager, lazy, bare = FakeSite(5, seed=4), FakeSite(5, seed=4, lazy=True), FakeSite(5, seed=4, meta_charset=False)
    with serve(eager), serve(lazy), serve(bare):
        assert len(lazy.pages) < len(eager.pages)  # articles are not held
        for article in eager.expected_articles():
            path = article.url.removeprefix(eager.url(""))
            status, headers, body = fetch(lazy.url(path))
            assert status == 200 and body == fetch(article.url)[2].replace(eager.url("").encode(), lazy.url("").encode())
            assert fetch(lazy.url(path), If_None_Match=headers["ETag"])[0] == 304
            plain = fetch(bare.url(path))[2]
            assert b"<meta charset" in body and b"<meta charset" not in plain and b"<title>" in plain
        assert fetch(lazy.redirect_url)[0] == 301


def test_fail_every_answers_503_once_per_chosen_article() -> None:
    fake = FakeSite(4, fail_every=2)
    with serve(fake):
        first, second = fake.expected_articles()[:2]
        status, headers, _ = fetch(first.url)
        assert status == 503 and headers["Retry-After"] == "1"
        assert fetch(first.url)[0] == 200
        assert fetch(second.url)[0] == 200
        assert fake.hits[first.url.removeprefix(fake.url(""))] == 2


def test_same_seed_same_site_and_another_seed_another() -> None:
    first, second, other = FakeSite(6, seed=11), FakeSite(6, seed=11), FakeSite(6, seed=12)
    with serve(first), serve(second), serve(other):
        assert first.pages.keys() == second.pages.keys()
        for path, rendered in first.pages.items():
            twin = second.pages[path].body.replace(second.url("").encode(), first.url("").encode())
            assert rendered.body == twin, path
        titles = {a.title for a in first.expected_articles()}
        assert titles.isdisjoint(a.title for a in other.expected_articles())


def test_large_site_splits_post_sitemaps_and_keeps_urls_unique() -> None:
    fake = FakeSite(1005, page_kb=0)
    with serve(fake):
        index = ET.fromstring(fetch(fake.sitemap_urls[0])[2])
        assert len(index.findall("sm:sitemap", SITEMAP_NS)) == 3  # two post sitemaps and the pages
        articles = fake.expected_articles()
        assert len({a.url for a in articles}) == len({a.title for a in articles}) == 1005
        listed = sitemap_locs(fake.sitemap_urls[0])
        assert sum(a.url in listed for a in articles) == 1004


def test_too_few_articles_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="at least 3 articles"):
        FakeSite(2)


def test_served_by_hand_a_sites_file_that_cannot_be_written_is_a_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "sites.toml"
    finished = subprocess.run([sys.executable, "-m", "fakesite", "--port", "0", "--sites-toml", str(target)],
                              cwd=REPO, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2 and "Traceback" not in finished.stderr
    assert finished.stderr.strip().splitlines()[-1].endswith(f"error: cannot write {target}: No such file or directory")


def test_saved_pages_are_served_as_copies_under_distinct_addresses_listed_in_a_sitemap(tmp_path):
    from fakesite.saved import SavedPagesSite

    (tmp_path / "html").mkdir()
    pages = {"one": "<html><body><p>Première page</p></body></html>".encode(), "two/b": b"<html><p>Second</p></html>"}
    (tmp_path / "html" / "one.html.gz").write_bytes(gzip.compress(pages["one"]))
    (tmp_path / "html" / "two.html").write_bytes(pages["two/b"])
    (tmp_path / "cases.jsonl").write_text(json.dumps({"id": "one", "html": "html/one.html.gz"}) + "\n\n"
                                          + json.dumps({"id": "two/b", "html": "html/two.html"}) + "\n")
    site = SavedPagesSite.from_manifest(tmp_path / "cases.jsonl", copies=2, gzip_pages=True)
    with serve(site) as base_url:
        _, _, sitemap_index = fetch(base_url + "/sitemap_index.xml")
        sitemap_url = ET.fromstring(sitemap_index).find("sm:sitemap/sm:loc", SITEMAP_NS).text
        _, _, sitemap = fetch(sitemap_url)
        listed = [loc.text for loc in ET.fromstring(sitemap).findall("sm:url/sm:loc", SITEMAP_NS)]
        assert listed == [f"{base_url}/{path}" for path in
                          ("saved/0/one/", "saved/0/two%2Fb/", "saved/1/one/", "saved/1/two%2Fb/")]
        for url in listed:
            status, headers, body = fetch(url)
            assert status == 200 and headers["Content-Type"] == "text/html"
            assert body == pages["one" if "/one/" in url else "two/b"]
        _, headers, zipped = fetch(listed[0], Accept_Encoding="gzip")
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped) == pages["one"]
        assert fetch(base_url + "/saved/2/one/")[0] == 404  # only two copies
        robots = RobotFileParser()
        robots.parse(fetch(base_url + "/robots.txt")[2].decode().splitlines())
        assert robots.can_fetch("*", listed[0]) and robots.site_maps() == [base_url + "/sitemap_index.xml"]
        (tmp_path / "sites.toml").write_text(site.sites_toml(), encoding="utf-8")
        (entry,) = load_sites_file(tmp_path / "sites.toml").values()
        assert entry.is_article_url(listed[1]) and not entry.is_article_url(sitemap_url)

"""`scrapy serve`: the HTTP API in the Spaceflight News API v4's shape, on SQLite and PostgreSQL.

Most tests ask FastAPI's TestClient over one small store per database; the last ones start
`scrapy serve` as a user would and ask it over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from crawler.api.app import create_app
from crawler.api.news_sites import DISPLAY_NAMES, display_name, site_for
from crawler.api.parameters import FILTERS, MAX_LIMIT
from crawler.api.records import OUR_FIELDS
from crawler.db import open_store
from crawler.db.engine import make_engine
from crawler.db.repository import upsert_articles
from crawler.db.store import Store
from crawler.sites.base import all_sites
from tests.helpers import REPO

V4_FIELDS = ["id", "title", "authors", "url", "image_url", "news_site", "summary", "published_at", "updated_at",
             "featured", "launches", "events"]
MAY, JUNE = datetime(2024, 5, 1, 12, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC)
# url -> the record stored, and when its content was stored (updated_at)
ARTICLES = {
    "https://spacenews.com/starship/": ({
        "site": "spacenews", "title": "Starship flies again", "authors": ["Jeff Foust"], "published": MAY,
        "summary": "SpaceX launched its Starship vehicle.", "body": "Starship lifted off.\n\nThe booster landed.",
        "tags": ["Launch"], "image": "https://spacenews.com/starship.jpg", "language": "en",
        "entities": [{"name": "SpaceX", "kind": "company", "id": "spacex"}]},
        datetime(2024, 5, 2, tzinfo=UTC)),
    "https://spacenews.com/budget/": ({
        "site": "spacenews", "title": "NASA budget cut", "authors": ["Jeff Foust", "Sandra Erwin"], "published": MAY,
        "summary": "Congress trims the science budget.", "body": "The budget falls.\n\nMissions wait."},
        datetime(2024, 5, 3, tzinfo=UTC)),
    "https://www.nasa.gov/artemis/": ({
        "site": "nasa", "title": "Artemis II crew trains", "published": JUNE,
        "body": "The crew of Artemis II trained in Houston.\n\nA second paragraph about the heat shield."},
        datetime(2024, 6, 2, tzinfo=UTC)),
    "https://spaceflightnow.com/undated/": ({
        "site": "spaceflightnow", "title": "An undated note", "summary": "No date given.", "body": "Undated text."},
        datetime(2024, 6, 5, tzinfo=UTC)),
    "https://fakespace.example/orbit/": ({
        "site": "fakespace", "title": "Orbit raising", "published": datetime(2024, 4, 1, tzinfo=UTC),
        "summary": "An orbit is raised.", "body": "The satellite fired its engine."},
        datetime(2024, 4, 2, tzinfo=UTC)),
}


@pytest.fixture(scope="module")
def store(module_database_url: str) -> Iterator[Store]:
    with open_store(module_database_url, create=True) as store:
        for url, (record, stored_at) in ARTICLES.items():
            upsert_articles(store.engine, [record | {"url": url}], now=stored_at)
        yield store


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def listed(client: TestClient, query: str = "") -> list[str]:
    """The URLs /v4/articles/?QUERY lists, in order, checking the count covers them all."""
    response = client.get(f"/v4/articles/?limit=100&{query}")
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["count"] == len(page["results"])
    return [record["url"] for record in page["results"]]


def test_records_have_the_v4_shape_newest_first_undated_last(client: TestClient) -> None:
    page = client.get("/v4/articles/").json()
    assert page["count"] == 5 and page["next"] is None and page["previous"] is None
    assert [record["url"] for record in page["results"]] == [
        "https://www.nasa.gov/artemis/", "https://spacenews.com/budget/", "https://spacenews.com/starship/",
        "https://fakespace.example/orbit/", "https://spaceflightnow.com/undated/"]
    starship = page["results"][2]
    assert list(starship) == V4_FIELDS
    assert starship | {"id": 0} == {
        "id": 0, "title": "Starship flies again", "authors": [{"name": "Jeff Foust", "socials": None}],
        "url": "https://spacenews.com/starship/", "image_url": "https://spacenews.com/starship.jpg",
        "news_site": "SpaceNews", "summary": "SpaceX launched its Starship vehicle.",
        "published_at": "2024-05-01T12:00:00Z", "updated_at": "2024-05-02T00:00:00Z",
        "featured": False, "launches": [], "events": []}
    artemis, undated = page["results"][0], page["results"][4]
    assert artemis["summary"] == "The crew of Artemis II trained in Houston."  # no summary: the first paragraph
    assert undated["published_at"] is None and page["results"][3]["news_site"] == "fakespace"
    assert client.get(f"/v4/articles/{starship['id']}/").json() == starship
    assert client.get(f"/v4/articles/{starship['id']}").json() == starship  # as SNAPI, with or without the slash


def test_pages_follow_next_and_previous_without_overlap(client: TestClient) -> None:
    seen, url = [], "/v4/articles/?limit=2&news_site_exclude=nasa"
    pages = []
    while url:
        page = client.get(url).json()
        pages.append(page)
        seen += [record["url"] for record in page["results"]]
        url = page["next"]
    assert seen == listed(client, "news_site_exclude=nasa") and len(set(seen)) == 4  # two share a date
    assert [len(page["results"]) for page in pages] == [2, 2]
    assert parse_qs(urlsplit(pages[1]["previous"]).query) == {"limit": ["2"], "news_site_exclude": ["nasa"]}
    deep = client.get("/v4/articles/?limit=2&offset=3").json()  # the last dated article, then the undated
    assert [record["url"] for record in deep["results"]] == listed(client)[3:]
    assert parse_qs(urlsplit(deep["previous"]).query) == {"limit": ["2"], "offset": ["1"]}
    assert client.get("/v4/articles/?offset=50").json() == {"count": 5, "next": None,
                                                              "previous": "http://testserver/v4/articles/?limit=10&offset=40",
                                                              "results": []}
    huge = client.get("/v4/articles/?limit=100000&offset=1").json()  # lowered to MAX_LIMIT, as SNAPI does
    assert parse_qs(urlsplit(huge["previous"]).query)["limit"] == [str(MAX_LIMIT)] and len(huge["results"]) == 4


@pytest.mark.parametrize(("query", "expected"), [
    ("news_site=SpaceNews", ["https://spacenews.com/budget/", "https://spacenews.com/starship/"]),
    ("news_site=spacenews,Spaceflight%20Now,FAKESPACE", ["https://spacenews.com/budget/", "https://spacenews.com/starship/",
                                                        "https://fakespace.example/orbit/", "https://spaceflightnow.com/undated/"]),
    ("news_site=Teslarati", []),  # a site the store has no article of
    ("news_site=Nosuchsite", []),  # no site of ours either: none, not a 400, as SNAPI answers
    ("news_site_exclude=spacenews,nasa,spaceflightnow", ["https://fakespace.example/orbit/"]),
    ("title_contains=STARSHIP", ["https://spacenews.com/starship/"]),
    ("summary_contains=houston", ["https://www.nasa.gov/artemis/"]),  # in the first paragraph, for want of a summary
    ("summary_contains=heat%20shield", []),  # the second paragraph is no summary
    ("published_at_gte=2024-05-01T12:00:00Z", ["https://www.nasa.gov/artemis/", "https://spacenews.com/budget/",
                                               "https://spacenews.com/starship/"]),
    ("published_at_gt=2024-05-01T12:00:00Z", ["https://www.nasa.gov/artemis/"]),
    ("published_at_lte=2024-05-01T14:00:00%2B02:00", ["https://spacenews.com/budget/", "https://spacenews.com/starship/",
                                                      "https://fakespace.example/orbit/"]),
    ("published_at_lt=2024-05-01T14:00:00+02:00", ["https://fakespace.example/orbit/"]),  # an unencoded +
    ("updated_at_gte=2024-05-03&updated_at_lt=2024-06-03", ["https://www.nasa.gov/artemis/", "https://spacenews.com/budget/"]),
    ("search=heat%20shield", ["https://www.nasa.gov/artemis/"]),
    ("search=starship%20-booster", []),
    ("search=launched%20OR%20crew&news_site=nasa", ["https://www.nasa.gov/artemis/"]),
    ("author=erwin", ["https://spacenews.com/budget/"]),
    ("tag=launch", ["https://spacenews.com/starship/"]),
    ("ordering=published_at", ["https://fakespace.example/orbit/", "https://spacenews.com/starship/",
                               "https://spacenews.com/budget/", "https://www.nasa.gov/artemis/",
                               "https://spaceflightnow.com/undated/"]),
    ("ordering=-updated_at&limit=2", ["https://spaceflightnow.com/undated/", "https://www.nasa.gov/artemis/"]),
    ("is_featured=true", []), ("has_launch=true", []), ("event=42", []),  # we feature and link nothing
    ("has_event=false&news_site=nasa", ["https://www.nasa.gov/artemis/"]),
])
def test_filters_select_as_spaceflight_news_api_does(client: TestClient, query: str, expected: list[str]) -> None:
    response = client.get(f"/v4/articles/?{query}")
    assert response.status_code == 200, response.text
    assert [record["url"] for record in response.json()["results"]] == expected


def test_include_adds_our_fields_after_the_v4_ones(client: TestClient) -> None:
    record = client.get("/v4/articles/?include=body,tags&title_contains=starship").json()["results"][0]
    assert list(record) == [*V4_FIELDS, "body", "tags"]
    assert record["body"] == "Starship lifted off.\n\nThe booster landed." and record["tags"] == ["Launch"]
    everything = client.get(f"/v4/articles/{record['id']}/?include=all").json()
    assert list(everything) == [*V4_FIELDS, *OUR_FIELDS] and everything["site"] == "spacenews"


def test_entity_and_story_filters_and_fields(client: TestClient) -> None:
    starship = "https://spacenews.com/starship/"
    assert listed(client, "entity=spacex") == listed(client, "entity=Спейс%20Экс") == [starship]
    assert listed(client, "entity=Roscosmos") == []
    assert listed(client, "entity=Nosuchentity") == [], "an entity no one knows: none, as an unknown news_site"
    record = client.get("/v4/articles/?entity=SpaceX&include=entities,story_id,duplicate_of").json()["results"][0]
    assert record["entities"] == [{"name": "SpaceX", "kind": "company", "id": "spacex"}]
    assert record["duplicate_of"] is None and record["story_id"] == record["id"], "a story of its own"
    assert listed(client, f"story_id={record['id']}") == [starship]
    response = client.get("/v4/articles/?story_id=first")
    assert response.status_code == 400 and response.json()["detail"].startswith("story_id")


@pytest.mark.parametrize(("query", "named"), [
    ("/v4/articles/?limit=ten", "limit"), ("/v4/articles/?limit=0", "limit"), ("/v4/articles/?offset=-1", "offset"),
    ("/v4/articles/?published_at_gte=yesterday", "published_at_gte"), ("/v4/articles/?updated_at_lt=2024-13-01", "updated_at_lt"),
    ("/v4/articles/?published_at_gte=2024-01-01&published_at_gt=2024-02-01", "published_at_gt"),
    ("/v4/articles/?ordering=title", "ordering"), ("/v4/articles/?include=secrets", "include"),
    ("/v4/articles/?search=%22%22", "search"), ("/v4/articles/?search=" + "x%20" * 40, "terms"),
    ("/v4/articles/?is_featured=maybe", "is_featured"), ("/v4/articles/first/", "article_id"),
    ("/v4/articles/?offset=" + "9" * 30, "offset"), ("/v4/articles/" + "9" * 30 + "/", "article_id"),
])
def test_a_bad_parameter_is_a_400_naming_it(client: TestClient, query: str, named: str) -> None:
    response = client.get(query)
    assert response.status_code == 400 and named in response.json()["detail"]


def test_unknown_article_is_404_and_writes_are_refused(client: TestClient) -> None:
    assert client.get("/v4/articles/999999/").json() == {"detail": "no article has id 999999"}
    assert client.get("/v4/articles/999999/").status_code == 404
    assert client.post("/v4/articles/").status_code == 405


def test_info_names_the_stored_sites(client: TestClient) -> None:
    assert client.get("/v4/info/").json()["news_sites"] == ["fakespace", "NASA", "Spaceflight Now", "SpaceNews"]


def test_openapi_describes_every_parameter(client: TestClient) -> None:
    parameters = {p["name"] for p in client.get("/openapi.json").json()["paths"]["/v4/articles/"]["get"]["parameters"]}
    assert {p.name for p in FILTERS} | {"search", "ordering", "limit", "offset", "include"} <= parameters
    assert client.get("/docs").status_code == 200


def test_a_dead_database_is_a_503(test_postgres_url: str) -> None:
    dead = make_url(test_postgres_url).set(port=1).render_as_string(hide_password=False)
    client = TestClient(create_app(Store(make_engine(dead))))
    for path in ("/v4/articles/", "/v4/articles/1/", "/v4/info/"):
        response = client.get(path)
        assert response.status_code == 503 and response.json()["detail"].startswith("the store is unavailable: cannot open")


def test_display_names_belong_to_built_in_sites() -> None:
    assert set(DISPLAY_NAMES) <= set(all_sites(None))
    assert site_for("Spaceflight Now") == site_for("SPACEFLIGHTNOW") == "spaceflightnow"
    assert site_for("SpacePolicyOnline.com") == "spacepolicyonline" and display_name("spacepolicyonline") == "SpacePolicyOnline.com"


def serve(database_url: str, *options: str) -> subprocess.Popen[str]:
    env = dict(os.environ, SPACECRAWL_DATABASE_URL=database_url)
    return subprocess.Popen([sys.executable, "-m", "scrapy", "serve", *options], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_scrapy_serve_answers_over_http_until_stopped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'served.db'}"
    with open_store(url, create=True) as store:
        store.save([ARTICLES["https://spacenews.com/starship/"][0] | {"url": "https://spacenews.com/starship/"}])
    server = serve(url, "--port", "0")
    try:
        line = server.stderr.readline()  # type: ignore[union-attr]
        assert line.startswith("serving sqlite:///") and "http://127.0.0.1:" in line, line
        address = line.split("http://", 1)[1].split("/", 1)[0]
        with urllib.request.urlopen(f"http://{address}/v4/articles/?news_site=SpaceNews") as response:
            page = json.load(response)
        assert page["count"] == 1 and page["results"][0]["title"] == "Starship flies again"
        taken = serve(url, "--port", address.rsplit(":", 1)[1])
        assert taken.wait(timeout=60) == 1
        assert taken.stderr.read() == f"error: cannot serve on {address}: Address already in use\n"  # type: ignore[union-attr]
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C
        assert server.wait(timeout=30) == 0


def test_scrapy_serve_refuses_what_it_cannot_do_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = serve(f"sqlite:///{tmp_path / 'nothing.db'}", "--port", "0")
    assert missing.wait(timeout=60) == 1
    assert missing.stderr.read().startswith("error: no store at")  # type: ignore[union-attr]
    bad_port = serve(f"sqlite:///{tmp_path / 'nothing.db'}", "--port", "70000")
    assert bad_port.wait(timeout=60) == 2 and "not a port number" in bad_port.stderr.read()  # type: ignore[union-attr]

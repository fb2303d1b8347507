"""Site definitions: the built-in registry, each site's article URL rule, and the user's TOML file."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.sites.base import GENERIC_ARTICLE_URL, Site, SiteError, all_sites, builtin_sites, load_sites_file

SITES_TOML = Path(__file__).parent / "fixtures" / "sites.toml"

# Per site: URLs shaped like its articles, and URLs of its own that are not articles (home,
# sections, listings, tags, archives, other sections of section-restricted sites).
SAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "americaspace": (
        ["https://www.americaspace.com/2024/05/10/starliner-crew-flight-test-slips-again/"],
        ["https://www.americaspace.com/", "https://www.americaspace.com/category/commercial-crew-program/",
         "https://www.americaspace.com/2024/05/10/"],
    ),
    "arstechnica": (
        ["https://arstechnica.com/space/2023/11/daily-telescope-spying-a-double-cluster-of-supergiant-stars/"],
        ["https://arstechnica.com/", "https://arstechnica.com/space/",
         "https://arstechnica.com/gadgets/2024/05/a-new-phone-gets-reviewed/"],
    ),
    "blueorigin": (
        ["https://www.blueorigin.com/news/new-glenn-ng-1-mission"],
        ["https://www.blueorigin.com/", "https://www.blueorigin.com/news", "https://www.blueorigin.com/new-glenn",
         "https://www.blueorigin.com/new-shepard/become-an-astronaut"],
    ),
    "cnbc": (
        ["https://www.cnbc.com/2023/08/23/india-chandrayaan-3-moon-mission.html"],
        ["https://www.cnbc.com/", "https://www.cnbc.com/investing-in-space/",
         "https://www.cnbc.com/video/2023/08/23/india-lands-on-the-moon.html"],
    ),
    "elonx": (
        ["https://www.elonx.net/spacex-stories-how-spacex-used-tin-snips-to-fix-a-rocket/"],
        ["https://www.elonx.net/", "https://www.elonx.net/category/spacex/", "https://www.elonx.net/tag/falcon-9-block-5/"],
    ),
    "esa": (
        ["https://www.esa.int/Science_Exploration/Space_Science/Webb_spots_a_distant_galaxy",
         "https://www.esa.int/Science_Exploration/Human_and_Robotic_Exploration/Orion/European_Service_Module_finished"],
        ["https://www.esa.int/", "https://www.esa.int/Science_Exploration/Human_and_Robotic_Exploration",
         "https://www.esa.int/Applications/Observing_the_Earth/Copernicus/Sentinel-1",
         "https://www.esa.int/ESA_Multimedia/Images/2024/05/A_view_of_the_Earth_from_orbit"],
    ),
    "euronews": (
        ["https://www.euronews.com/next/2024/05/10/europe-plans-a-new-reusable-rocket"],
        ["https://www.euronews.com/", "https://www.euronews.com/tag/space",
         "https://www.euronews.com/video/2024/05/10/watch-the-launch-from-kourou",
         "https://de.euronews.com/2024/05/10/ein-artikel-auf-deutsch"],
    ),
    "europeanspaceflight": (
        ["https://europeanspaceflight.com/italian-launch-startup-raises-seed-funding/"],
        ["https://europeanspaceflight.com/", "https://europeanspaceflight.com/category/european-launch-startups/"],
    ),
    "japantimes": (
        ["https://www.japantimes.co.jp/news/2023/04/26/japan/science-health/ispace-moon-lander-contact-lost/"],
        ["https://www.japantimes.co.jp/", "https://www.japantimes.co.jp/news/2023/04/26/japan/politics/diet-passes-budget/"],
    ),
    "jpl": (
        ["https://www.jpl.nasa.gov/news/nasas-perseverance-rover-finds-an-unusual-rock"],
        ["https://www.jpl.nasa.gov/", "https://www.jpl.nasa.gov/news",
         "https://www.jpl.nasa.gov/missions/mars-2020-perseverance-rover"],
    ),
    "nasa": (
        ["https://www.nasa.gov/news-release/nasa-selects-new-astronaut-candidates/",
         "https://science.nasa.gov/missions/webb/webb-finds-water-vapor-around-a-young-star/"],
        ["https://www.nasa.gov/", "https://www.nasa.gov/news/", "https://www.nasa.gov/international-space-station/",
         "https://www.nasa.gov/missions/artemis/"],
    ),
    "nasaspaceflight": (
        ["https://www.nasaspaceflight.com/2022/02/soyuz-neitron/"],
        ["https://www.nasaspaceflight.com/", "https://www.nasaspaceflight.com/category/news/",
         "https://forum.nasaspaceflight.com/index.php?topic=12345.0"],
    ),
    "natgeo": (
        ["https://www.nationalgeographic.com/science/article/august-2026-total-solar-eclipse"],
        ["https://www.nationalgeographic.com/", "https://www.nationalgeographic.com/science/space",
         "https://kids.nationalgeographic.com/space/article/solar-system",
         "https://www.nationalgeographic.com/animals/article/sharks-are-older-than-trees"],
    ),
    "nss": (
        ["https://nss.org/nss-announces-winners-of-its-space-settlement-contest/"],
        ["https://nss.org/", "https://nss.org/category/news/", "https://nss.org/tag/space-settlement-design/"],
    ),
    "nytimes": (
        ["https://www.nytimes.com/2024/05/10/science/nasa-artemis-moon-landing.html",
         "https://www.nytimes.com/2019/07/16/science/space/apollo-11-launch-anniversary.html"],
        ["https://www.nytimes.com/", "https://www.nytimes.com/section/science/space",
         "https://www.nytimes.com/2019/11/18/business/a-trade-war-story.html"],
    ),
    "orbitaltoday": (
        ["https://orbitaltoday.com/2025/03/03/space-machines-company-secures-federal-funding/"],
        ["https://orbitaltoday.com/", "https://orbitaltoday.com/category/space-industry-news/"],
    ),
    "payload": (
        ["https://payloadspace.com/rocket-lab-books-a-new-launch/"],
        ["https://payloadspace.com/", "https://payloadspace.com/category/launch/", "https://payloadspace.com/author/jack-kuhr/"],
    ),
    "physorg": (
        ["https://phys.org/news/2024-05-webb-telescope-finds-carbon-dioxide.html"],
        ["https://phys.org/", "https://phys.org/space-news/", "https://phys.org/space-news/astronomy/",
         "https://phys.org/journals/astrophysical-journal-letters/"],
    ),
    "planetary": (
        ["https://www.planetary.org/articles/whats-going-on-with-mars-sample-return",
         "https://www.planetary.org/the-downlink/rings-and-dings"],
        ["https://www.planetary.org/", "https://www.planetary.org/articles", "https://www.planetary.org/the-downlink",
         "https://www.planetary.org/get-involved/become-a-member"],
    ),
    "reuters": (
        ["https://www.reuters.com/technology/space/spacex-launches-fifth-starship-test-eyes-novel-booster-catch-2024-10-13/"],
        ["https://www.reuters.com/", "https://www.reuters.com/technology/space/",
         "https://www.reuters.com/business/aerospace-defense/airline-orders-new-jets-2024-10-13/"],
    ),
    "roscosmos": (
        ["https://www.roscosmos.ru/40895/"],
        ["https://www.roscosmos.ru/", "https://www.roscosmos.ru/102/"],
    ),
    "spacecom": (
        ["https://www.space.com/jupiter-moon-europa-water-vapor-confirmed",
         "https://www.space.com/12345-nasa-budget-passes-congress.html"],
        ["https://www.space.com/", "https://www.space.com/news", "https://www.space.com/science/search-for-life"],
    ),
    "spaceflightinsider": (
        ["https://www.spaceflightinsider.com/missions/commercial/falcon-9-launches-more-starlink-satellites/"],
        ["https://www.spaceflightinsider.com/", "https://www.spaceflightinsider.com/missions/",
         "https://www.spaceflightinsider.com/category/missions/commercial-space-flight/"],
    ),
    "spaceflightnow": (
        ["https://spaceflightnow.com/2024/05/10/live-coverage-spacex-to-launch-starlink-satellites/"],
        ["https://spaceflightnow.com/", "https://spaceflightnow.com/launch-schedule/",
         "https://spaceflightnow.com/category/news-archive/", "https://spaceflightnow.com/2024/05/"],
    ),
    "spacenews": (
        ["https://spacenews.com/sierra-space-lays-off-165-in-workforce-realignment/"],
        ["https://spacenews.com/", "https://spacenews.com/section/launch/", "https://spacenews.com/section/commercial-space-news/"],
    ),
    "spacepolicyonline": (
        ["https://spacepolicyonline.com/news/weekly-roundup-for-spacepolicyonline-com-june-19-25-2023/"],
        ["https://spacepolicyonline.com/", "https://spacepolicyonline.com/news/",
         "https://spacepolicyonline.com/events/space-symposium-2024/"],
    ),
    "spacex": (
        ["https://www.spacex.com/launches/starship-flight-10", "https://www.spacex.com/launches/crew-9",
         "https://www.spacex.com/updates/crew-1-docks-to-iss"],
        ["https://www.spacex.com/", "https://www.spacex.com/launches/", "https://www.spacex.com/updates/",
         "https://www.spacex.com/vehicles/falcon-9/"],
    ),
    "syfy": (
        ["https://www.syfy.com/syfy-wire/bad-astronomy-astronomers-link-black-holes-to-reduced-star-birth"],
        ["https://www.syfy.com/", "https://www.syfy.com/syfy-wire", "https://www.syfy.com/syfy-wire/bad-astronomy",
         "https://www.syfy.com/the-ark/videos/the-ark-season-2-trailer"],
    ),
    "tass": (
        ["https://tass.com/science/1789012"],
        ["https://tass.com/", "https://tass.com/science", "https://tass.com/politics/1789013"],
    ),
    "techcrunch": (
        ["https://techcrunch.com/2024/05/10/rocket-lab-wins-a-new-launch-contract/"],
        ["https://techcrunch.com/", "https://techcrunch.com/category/space/", "https://techcrunch.com/2024/05/10/",
         "https://techcrunch.com/events/tc-sessions-space-2024/"],
    ),
    "teslarati": (
        ["https://www.teslarati.com/spacex-inspiration4-netflix-documentary/"],
        ["https://www.teslarati.com/", "https://www.teslarati.com/category/spacex/",
         "https://www.teslarati.com/category/spacex/page/2/"],
    ),
    "thedrive": (
        ["https://www.thedrive.com/the-war-zone/space-force-launches-a-new-satellite",
         "https://www.thedrive.com/news/37833/a-rocket-on-a-flatbed-truck"],
        ["https://www.thedrive.com/", "https://www.thedrive.com/tag/space",
         "https://www.thedrive.com/reviews/best-telescope-cases-for-road-trips"],
    ),
    "thelaunchpad": (
        ["https://tlpnetwork.com/news/2023/02/ispace-on-track-for-first-lunar-landing"],
        ["https://tlpnetwork.com/", "https://tlpnetwork.com/news"],
    ),
    "thenational": (
        ["https://www.thenationalnews.com/future/space/2025/11/16/uae-rover-team-prepares-for-lunar-landing/"],
        ["https://www.thenationalnews.com/", "https://www.thenationalnews.com/future/space/",
         "https://www.thenationalnews.com/future/technology/2025/11/20/uae-ai-chips-deal/"],
    ),
    "thespacedevs": (
        ["https://thespacedevs.com/news/launch-library-2-3-released"],
        ["https://thespacedevs.com/", "https://thespacedevs.com/llapi"],
    ),
    "thespacereview": (
        ["https://www.thespacereview.com/article/4321/1", "https://www.thespacereview.com/article/4321/2"],
        ["https://www.thespacereview.com/", "https://www.thespacereview.com/archive.html"],
    ),
    "theverge": (
        ["https://www.theverge.com/2024/5/10/24153526/spacex-starship-flight-test",
         "https://www.theverge.com/news/612345/blue-origin-new-glenn-launch",
         "https://www.theverge.com/2024/5/10/24153526/starliner"],
        ["https://www.theverge.com/", "https://www.theverge.com/space", "https://www.theverge.com/authors/loren-grush"],
    ),
    "ula": (
        ["https://blog.ulalaunch.com/blog/vulcan-preview-of-the-flight-readiness-firing",
         "https://blog.ulalaunch.com/blog/usssf-106"],
        ["https://www.ulalaunch.com/", "https://blog.ulalaunch.com/blog", "https://blog.ulalaunch.com/blog/tag/atlas-v",
         "https://blog.ulalaunch.com/blog/page/2",
         "https://www.ulalaunch.com/about/history-of-ula"],
    ),
    "universetoday": (
        ["https://www.universetoday.com/articles/messier-32", "https://www.universetoday.com/12345/a-podcast-episode/"],
        ["https://www.universetoday.com/", "https://www.universetoday.com/articles",
         "https://www.universetoday.com/category/guide-to-space/"],
    ),
    "virgingalactic": (
        ["https://www.virgingalactic.com/news/virgin-galactic-announces-first-quarter-financial-results",
         "https://www.virgingalactic.com/news/galactic-07"],
        ["https://www.virgingalactic.com/", "https://www.virgingalactic.com/news",
         "https://www.virgingalactic.com/who-we-are/our-leadership-team"],
    ),
    "wsj": (
        ["https://www.wsj.com/science/space-astronomy/boeing-sent-two-astronauts-into-space-99d96633"],
        ["https://www.wsj.com/", "https://www.wsj.com/science/space-astronomy", "https://www.wsj.com/science",
         "https://www.wsj.com/finance/stocks/stock-market-today-dow-nasdaq-a1b2c3d4"],
    ),
}


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return builtin_sites()


# --- the built-in registry --------------------------------------------------------------------

def test_registry_has_the_space_news_sites_under_unique_names(sites: dict[str, Site]) -> None:
    assert len(sites) >= 41
    assert all(name == site.name for name, site in sites.items())
    assert set(SAMPLES) == set(sites), "every built-in site needs sample URLs in SAMPLES"


def test_no_two_sites_claim_the_same_host(sites: dict[str, Site]) -> None:
    for first, second in combinations(sites.values(), 2):
        for domain in first.domains:
            assert not second.owns(f"https://{domain}/"), f"{first.name} and {second.name} both own {domain}"
        for domain in second.domains:
            assert not first.owns(f"https://{domain}/"), f"{first.name} and {second.name} both own {domain}"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_discovery_urls_are_https_on_the_sites_domains_and_not_articles(sites: dict[str, Site], name: str) -> None:
    site = sites[name]
    discovery = site.feeds + site.sitemaps + site.listing_pages
    assert discovery
    for url in discovery:
        assert urlsplit(url).scheme == "https", url
        assert site.owns(url), url
        assert not site.is_article_url(url), url
    for domain in site.domains:
        for host in {domain, domain if domain.startswith("www.") else f"www.{domain}"}:
            assert not site.is_article_url(f"https://{host}/"), host


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_article_rule_accepts_articles_and_rejects_other_pages(sites: dict[str, Site], name: str) -> None:
    articles, others = SAMPLES[name]
    site = sites[name]
    for url in articles:
        assert site.is_article_url(url), f"{name} should take {url}"
    for url in others:
        assert not site.is_article_url(url), f"{name} should not take {url}"


def test_no_site_takes_another_sites_articles(sites: dict[str, Site]) -> None:
    for name, (articles, _) in SAMPLES.items():
        for other in sites.values():
            if other.name != name:
                assert not any(other.is_article_url(url) for url in articles), (other.name, name)


# --- the generic rule and the Site type ---------------------------------------------------------

@pytest.mark.parametrize("url, is_article", [
    ("https://example.com/2024/05/17/rocket-launch/", True),
    ("https://example.com/2024/05/rocket/", True),
    ("https://example.com/a-story-about-rockets", True),
    ("https://example.com/", False),
    ("https://example.com/about-us/", False),
    ("https://example.com/2024/05/17/", False),
    ("https://example.com/category/space-launch-news/", False),
    ("https://example.com/tag/space-launch-news", False),
    ("https://example.com/author/jane-q-public/", False),
    ("https://example.com/a-story-about-rockets/feed/", False),
    ("https://example.com/wp-content/uploads/2024/05/rocket-on-pad.jpg", False),
])
def test_generic_article_rule(url: str, is_article: bool) -> None:
    site = Site(name="example", domains=("example.com",), feeds=("https://example.com/feed/",))
    assert site.article_url == GENERIC_ARTICLE_URL
    assert site.is_article_url(url) is is_article


def test_a_site_owns_its_subdomains_but_not_lookalike_hosts() -> None:
    site = Site(name="example", domains=("example.com",), feeds=("https://example.com/feed/",))
    assert site.owns("https://blog.example.com/x")
    assert not site.owns("https://notexample.com/x")
    assert not site.owns("https://example.com.evil.org/x")


def test_a_local_test_server_can_be_a_site() -> None:
    site = Site(name="local", domains=("127.0.0.1",), feeds=("http://127.0.0.1:8123/feed/",))
    assert site.owns("http://127.0.0.1:8123/2024/05/17/rocket-launch/")


@pytest.mark.parametrize("changes, message", [
    ({"domains": "example.com"}, "'domains' must be a list of strings"),
    ({"domains": ("https://example.com",)}, "is not a bare lowercase host name"),
    ({"domains": ("example.com:8080",)}, "is not a bare lowercase host name"),
    ({"feeds": ("https://elsewhere.org/feed/",)}, "is not an http(s) URL on the site's domains"),
    ({"feeds": ("/feed/",)}, "is not an http(s) URL on the site's domains"),
    ({"feeds": ()}, "give at least one of feeds, sitemaps, listing_pages"),
    ({"article_url": "/(unclosed"}, "article_url is not a regex"),
    ({"selectors": {"headline": "h1"}}, "unknown selector fields ['headline']"),
    ({"selectors": {"title": "h1[["}}, "selector for title 'h1[[' is not CSS"),
    ({"timezone": "Eastern"}, "timezone 'Eastern' is not an IANA zone name"),
    ({"language": "English"}, "language 'English' is not a two-letter ISO 639-1 code"),
    ({"feed_interval_minutes": 0}, "'feed_interval_minutes' must be a whole number of minutes"),
    ({"sitemap_interval_minutes": "60"}, "'sitemap_interval_minutes' must be a whole number of minutes"),
])
def test_site_rejects_bad_definitions_with_a_clear_message(changes: dict, message: str) -> None:
    values = {"name": "example", "domains": ("example.com",), "feeds": ("https://example.com/feed/",), **changes}
    with pytest.raises(SiteError) as error:
        Site(**values)
    assert str(error.value).startswith("site 'example': ")
    assert message in str(error.value)


# --- the user's TOML file ---------------------------------------------------------------------

def test_minimal_toml_site_gets_the_defaults() -> None:
    site = load_sites_file(SITES_TOML)["spacedaily"]
    assert site.domains == ("spacedaily.com",)
    assert site.feeds == ("https://www.spacedaily.com/spacedaily.xml",)
    assert site.sitemaps == ("https://www.spacedaily.com/sitemap.xml",)
    assert site.listing_pages == ()
    assert site.article_url == GENERIC_ARTICLE_URL
    assert site.selectors == {}
    assert (site.timezone, site.language) == (None, None)
    assert (site.feed_interval_minutes, site.sitemap_interval_minutes) == (30, 24 * 60)


def test_toml_site_with_every_optional_key() -> None:
    site = load_sites_file(SITES_TOML)["skyandtelescope"]
    assert site.listing_pages == ("https://skyandtelescope.org/astronomy-news/",)
    assert site.selectors == {"authors": ".byline a[rel=author]", "remove": ".newsletter-signup, .related-posts"}
    assert (site.timezone, site.language) == ("America/New_York", "en")
    assert (site.feed_interval_minutes, site.sitemap_interval_minutes) == (60, 720)
    assert site.is_article_url("https://skyandtelescope.org/astronomy-news/a-comet-brightens/")
    assert not site.is_article_url("https://skyandtelescope.org/observing/a-comet-brightens/")


def test_user_site_replaces_the_builtin_of_the_same_name() -> None:
    builtin = builtin_sites()
    sites = all_sites(SITES_TOML)
    assert sites["spacenews"].feed_interval_minutes == 120
    assert builtin["spacenews"].feed_interval_minutes != 120
    assert set(builtin) < set(sites)
    assert {"spacedaily", "skyandtelescope"} <= set(sites)
    assert list(sites) == sorted(sites)


MINIMAL = 'name = "example"\ndomains = ["example.com"]\nfeeds = ["https://example.com/feed/"]\n'


@pytest.mark.parametrize("entry, message", [
    (MINIMAL + 'feed = ["https://example.com/rss"]\n', "site 'example': unknown key 'feed'; did you mean 'feeds'?"),
    (MINIMAL + "article_url = '/(unclosed'\n", "site 'example': article_url is not a regex"),
    ('name = "example"\nfeeds = ["https://example.com/feed/"]\n', "site 'example': 'domains' is required"),
    ('domains = ["example.com"]\nfeeds = ["https://example.com/feed/"]\n', "site '?': 'name' is required"),
    ('name = "example"\ndomains = "example.com"\nfeeds = ["https://example.com/feed/"]\n',
     "site 'example': 'domains' must be a list of strings"),
    (MINIMAL + 'timezone = "EST5"\n', "site 'example': timezone 'EST5' is not an IANA zone name"),
    (MINIMAL + '[site.selectors]\nheadline = "h1"\n', "site 'example': unknown selector fields ['headline']"),
    (MINIMAL + 'selectors = ["h1"]\n', "site 'example': 'selectors' must be a table"),
    ('name = "Example Site"\ndomains = ["example.com"]\nfeeds = ["https://example.com/feed/"]\n',
     "site name 'Example Site': use lowercase letters"),
])
def test_toml_errors_name_the_file_the_site_and_the_problem(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(f"[[site]]\n{MINIMAL.replace('example', 'first')}\n[[site]]\n{entry}", encoding="utf-8")
    with pytest.raises(SiteError) as error:
        load_sites_file(path)
    text = str(error.value)
    assert text.startswith(f"sites file {path}, [[site]] #2: ")
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize("content, message", [
    ("[[site]\nname = 1\n", "is not valid TOML"),
    ("[site]\n" + MINIMAL, "write each site as a [[site]] table"),
    ("[[sites]]\n" + MINIMAL, "unknown top-level keys ['sites']"),
    ("[[site]]\n" + MINIMAL + "[[site]]\n" + MINIMAL, "site 'example' is defined twice"),
])
def test_toml_file_level_errors_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SiteError) as error:
        load_sites_file(path)
    assert str(error.value).startswith(f"sites file {path}")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_sites_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="does not exist"):
        all_sites(tmp_path / "nowhere.toml")

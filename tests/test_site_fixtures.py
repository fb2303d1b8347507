"""Every site's fixture pages (tests/fixtures/sites/<site>/) through a crawl's extraction and
pipeline stages: a field that regresses, or a built-in site without a fixture, fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.project import get_project_settings

from crawler.extraction import decode_html
from crawler.sitekit.fixtures import fixture_problems, fixtures_of
from crawler.sitekit.offline import OfflineRun
from crawler.sites.base import builtin_sites

FIXTURES = Path(__file__).parent / "fixtures" / "sites"
SITES = sorted(builtin_sites())


@pytest.fixture(scope="module")
def run() -> OfflineRun:
    settings = get_project_settings()
    settings.set("SPACECRAWL_SITES_FILE", None)  # built-in sites only, whatever the environment says
    return OfflineRun(settings)


@pytest.mark.parametrize("site", SITES)
def test_site_fixtures_extract_as_expected(run: OfflineRun, site: str) -> None:
    fixtures = fixtures_of(FIXTURES / site) if (FIXTURES / site).is_dir() else []
    if not fixtures:
        pytest.fail(f"site {site!r} has no fixture page in tests/fixtures/sites/{site}/: save an article page of it "
                    f"and check its expected output: scrapy savefixture PAGE.html --site {site}")
    for fixture in fixtures:
        assert run.sites[site].owns(fixture.url), f"{fixture.page.name}: {fixture.url} is not on {site}'s domains"
        try:
            article = run.process(fixture.url, decode_html(fixture.page.read_bytes()), fixture.fetched_at)
        except DropItem as exc:
            pytest.fail(f"{fixture.page.name}: dropped ({exc})")
        assert article.site == site
        problems = fixture_problems(article, fixture.expected)
        assert not problems, f"{fixture.page.relative_to(FIXTURES)}:\n  " + "\n  ".join(problems)


def test_every_fixture_folder_belongs_to_a_site() -> None:
    strays = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("_")
                    and p.name not in SITES)
    assert not strays, f"fixture folders of no built-in site: {strays}"

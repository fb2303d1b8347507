"""Scrapy's spider loader, fed from site definitions instead of spider modules."""

from __future__ import annotations

from functools import cached_property

from scrapy.exceptions import UsageError
from scrapy.http import Request
from scrapy.settings import BaseSettings

from crawler.sites.base import SiteError, all_sites
from crawler.spiders.site import SiteSpider


class SiteSpiderLoader:
    """Every built-in site and every site of SPACECRAWL_SITES_FILE is a spider of the same name."""

    def __init__(self, settings: BaseSettings):
        self._sites_file = settings.get("SPACECRAWL_SITES_FILE")

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SiteSpiderLoader:
        return cls(settings)

    @cached_property
    def _spiders(self) -> dict[str, type[SiteSpider]]:
        # Read on first use, inside the command, so a broken sites file is a one-line usage error.
        try:
            sites = all_sites(self._sites_file)
        except SiteError as exc:
            raise UsageError(str(exc), print_help=False) from None
        return {name: SiteSpider.for_site(site) for name, site in sites.items()}

    def load(self, spider_name: str) -> type[SiteSpider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return list(self._spiders)

    def find_by_request(self, request: Request) -> list[str]:
        return [name for name, spider in self._spiders.items() if spider.site.owns(request.url)]

"""Scrapy's spider loader, fed from site definitions instead of spider modules."""

from __future__ import annotations

from scrapy.http import Request
from scrapy.settings import BaseSettings

from crawler.sites.base import all_sites
from crawler.spiders.site import SiteSpider


class SiteSpiderLoader:
    """Every built-in site and every site of SPACECRAWL_SITES_FILE is a spider of the same name."""

    def __init__(self, settings: BaseSettings):
        sites = all_sites(settings.get("SPACECRAWL_SITES_FILE"))
        self._spiders = {name: SiteSpider.for_site(site) for name, site in sites.items()}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SiteSpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[SiteSpider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return list(self._spiders)

    def find_by_request(self, request: Request) -> list[str]:
        return [name for name, spider in self._spiders.items() if spider.site.owns(request.url)]

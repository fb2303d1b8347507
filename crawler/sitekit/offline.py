"""A crawl's processing without the crawl: extraction and every pipeline stage but storage.

`scrapy extract` and the extraction benchmark run pages through this, so what they report is what
a crawl stores. Stages are the ITEM_PIPELINES of the settings, built as a crawl builds them.
"""

from __future__ import annotations

from datetime import datetime

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.items import Article
from crawler.ops.run_stats import DROPPED_PREFIX
from crawler.setting_checks import check_settings
from crawler.sites.base import Site, all_sites
from crawler.spiders.article_page import ExtractionError, article_from_page


class OfflineRun:
    def __init__(self, settings: BaseSettings):
        check_settings(settings)
        settings = settings.copy()
        settings.set("SPACECRAWL_STORE_ENABLED", False, priority="cmdline")
        self.sites = all_sites(settings.get("SPACECRAWL_SITES_FILE"))
        # Pipelines want a crawler for settings and stats only; no engine or reactor is started.
        self.crawler = Crawler(Spider, settings)
        self.crawler.stats = MemoryStatsCollector(self.crawler)
        self.stages = []
        for path in build_component_list(settings.getwithbase("ITEM_PIPELINES")):
            try:
                self.stages.append(build_from_crawler(load_object(path), self.crawler))
            except NotConfigured:
                continue

    @property
    def stats(self) -> dict:
        return self.crawler.stats.get_stats()

    def site_for(self, url: str) -> Site | None:
        return next((site for site in self.sites.values() if site.owns(url)), None)

    def process(self, url: str, html: str, fetched_at: datetime | None = None) -> Article:
        """The finished article; raises scrapy.exceptions.DropItem with the reason when a stage drops it."""
        try:
            article = article_from_page(self.site_for(url), url, html, fetched_at)
        except ExtractionError as error:  # as a crawl counts it (crawler.spiders.site)
            self.crawler.stats.inc_value(DROPPED_PREFIX + ExtractionError.reason)
            raise DropItem(f"{ExtractionError.reason}: {error}") from None
        for stage in self.stages:
            article = stage.process_item(article)
        return article

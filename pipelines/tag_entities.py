"""Tag entities: the agencies, companies, vehicles, spacecraft, missions, people and launch sites
an article mentions (crawler/knowledge), as ``entities``: [{"name", "kind", "id"}].

Read from title, summary and body, once they are clean text. Off with
``SPACECRAWL_ENTITIES_ENABLED=0``; `scrapy retag` brings stored articles up to the gazetteer.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.knowledge import tag_text

TAGGED_FIELDS = ("title", "summary", "body")


class TagEntitiesPipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TagEntitiesPipeline:
        if not crawler.settings.getbool("SPACECRAWL_ENTITIES_ENABLED"):
            raise NotConfigured("SPACECRAWL_ENTITIES_ENABLED is off")
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        entities = tag_text(*(adapter.get(name) for name in TAGGED_FIELDS))
        adapter["entities"] = entities
        self.stats.inc_value("spacecrawl/entities/tagged_articles" if entities else "spacecrawl/entities/untagged_articles")
        return item

"""Space knowledge: the gazetteer (data files in ``data/``: agencies, companies, vehicles,
spacecraft, missions, people, places, each entity with a stable id and its names in several
languages) and the matcher that finds them in an article's text. Pure: no Scrapy, no database.

    from crawler.knowledge import shipped_gazetteer, tag_text
    tag_text("Roscosmos and NASA …")  # [{"name": "Roscosmos", "kind": "agency", "id": "roscosmos"}, …]
    shipped_gazetteer().ids_named("Роскосмос")  # {"roscosmos"}
"""

from crawler.knowledge.gazetteer import KINDS, Entity, Gazetteer, shipped_gazetteer
from crawler.knowledge.matcher import tag_text

__all__ = ["KINDS", "Entity", "Gazetteer", "shipped_gazetteer", "tag_text"]

"""The entity index: one ``article_entities`` row per article and entity id it mentions, kept in
step with ``articles.entities`` (by the upserts and ``set_entities``), read by the ``entity``
filter and by ``count_by_entity``. A B-tree on (entity_id, article_id): an entity's articles are
one index range on both databases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Select, delete, func, select

from crawler.db.models import ArticleEntity
from crawler.knowledge import shipped_gazetteer

# Rows per statement, well under SQLite's bound parameters.
CHUNK = 500


def index_entities(connection: Connection, entities: Mapping[int, list[dict[str, str]]]) -> None:
    """Make the index rows of these articles (by id) say ``entities``, whatever they said before."""
    ids = sorted(entities)
    table = ArticleEntity.__table__
    for start in range(0, len(ids), CHUNK):
        connection.execute(delete(table).where(table.c.article_id.in_(ids[start:start + CHUNK])))
    rows = [{"entity_id": entity["id"], "article_id": article_id, "kind": entity["kind"]}
            for article_id in ids for entity in {e["id"]: e for e in entities[article_id]}.values()]
    for start in range(0, len(rows), CHUNK):
        connection.execute(table.insert(), rows[start:start + CHUNK])


def named_entity_ids(name: str) -> set[str]:
    """The ids ``name`` may mean: the gazetteer's entities with that id, name or alias (any case),
    and ``name`` itself as an id (an entity an older gazetteer tagged)."""
    return shipped_gazetteer().ids_named(name) | {" ".join(name.split()).casefold()}


def entity_ids(name: str) -> Select[Any]:
    """The ids of the articles that mention an entity ``name`` may mean."""
    return select(ArticleEntity.article_id).where(ArticleEntity.entity_id.in_(sorted(named_entity_ids(name))))


def count_by_entity(connection: Connection, articles: Select[Any] | None) -> list[tuple[str, str, int]]:
    """(entity id, kind, articles) over the article ids ``articles`` selects (None: all), most
    mentioned first."""
    statement = select(ArticleEntity.entity_id, ArticleEntity.kind, func.count().label("articles"))
    if articles is not None:
        statement = statement.where(ArticleEntity.article_id.in_(articles))
    statement = (statement.group_by(ArticleEntity.entity_id, ArticleEntity.kind)
                 .order_by(func.count().desc(), ArticleEntity.entity_id))
    return [(row[0], row[1], row[2]) for row in connection.execute(statement)]

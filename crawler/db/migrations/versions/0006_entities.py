"""Space knowledge: each article's entities (a JSON list of {"name", "kind", "id"}) and
``article_entities``, one row per article and entity id, the index that finds an entity's articles
fast on both databases. Stored articles start with none: `scrapy retag` tags them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

from crawler.db.models import JSONData

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Plain ALTER TABLE (as 0002): a batch copy of ``articles`` on SQLite would lose the FTS triggers.
def upgrade() -> None:
    op.add_column("articles", sa.Column("entities", JSONData, nullable=False, server_default=sa.text("'[]'")))
    op.create_table(
        "article_entities",
        sa.Column("entity_id", sa.String(100), primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
    )
    op.create_index("ix_article_entities_article_id", "article_entities", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_article_entities_article_id", "article_entities")
    op.drop_table("article_entities")
    op.drop_column("articles", "entities")

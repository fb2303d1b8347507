"""Copies and stories: each article's ``story_id`` and ``duplicate_of``, its MinHash sketches,
and the LSH band keys that find an article's near-copies and reports of its event.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


# Plain ALTER TABLE for articles, as in 0002: a batch copy on SQLite would lose the full-text triggers.
def upgrade() -> None:
    op.add_column("articles", sa.Column("story_id", sa.Integer))
    op.add_column("articles", sa.Column("duplicate_of", sa.Text))
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_table(
        "article_sketches",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("content_hash", sa.String(128)),
        sa.Column("copy_signature", sa.LargeBinary, nullable=False),
        sa.Column("story_signature", sa.LargeBinary, nullable=False),
        sa.Column("shingles", sa.Integer, nullable=False),
        sa.Column("story_day", sa.Integer, nullable=False),
    )
    op.create_table(
        "story_bands",
        sa.Column("band", sa.BigInteger, primary_key=True),
        sa.Column("day", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("story_bands")
    op.drop_table("article_sketches")
    op.drop_index("ix_articles_story_id", "articles")
    op.drop_column("articles", "duplicate_of")
    op.drop_column("articles", "story_id")

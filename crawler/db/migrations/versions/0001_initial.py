"""Sites, articles, revisions, crawl runs, and the full-text index over title and body.

Full text, per dialect:
- SQLite: an FTS5 table with external content (the text is not stored twice), kept in step with
  ``articles`` by triggers; tokenizer ``unicode61 remove_diacritics 2``, no stemming.
- PostgreSQL: a generated ``tsvector`` column (title weighted A, body B) with a GIN index, using the
  ``simple`` configuration. Not ``english``: the sites are not all in English, stemming English
  rules over other languages mangles words and names, and ``simple`` matches the words SQLite's
  FTS5 matches, so a query finds the same articles on both databases. Prefix queries
  (``launch*``) cover what stemming would.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

from crawler.db.models import JSONData, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_FULL_TEXT = [
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END""",
    # Only when the text changed: a re-crawl that merely touches last_seen leaves the index alone.
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles
       WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]

POSTGRESQL_FULL_TEXT = [
    """ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'B')) STORED""",
    "CREATE INDEX search_vector_gin ON articles USING GIN (search_vector)",
]


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("domains", JSONData, nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("fetched_url", sa.Text),
        sa.Column("site", sa.String(100), sa.ForeignKey("sites.name")),
        sa.Column("title", sa.Text),
        sa.Column("authors", JSONData, nullable=False),
        sa.Column("published", UTCDateTime()),
        sa.Column("modified", UTCDateTime()),
        sa.Column("section", sa.Text),
        sa.Column("tags", JSONData, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("language", sa.String(35)),
        sa.Column("image", sa.Text),
        sa.Column("word_count", sa.Integer),
        sa.Column("fetched_at", UTCDateTime()),
        sa.Column("content_hash", sa.String(128)),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_articles_site_published", "articles", ["site", "published"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("content_hash", sa.String(128)),
        sa.Column("title", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("published", UTCDateTime()),
        sa.Column("modified", UTCDateTime()),
        sa.Column("fetched_at", UTCDateTime()),
        sa.Column("replaced_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_article_revisions_article_id", "article_revisions", ["article_id"])
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
        sa.Column("status", sa.String(50), nullable=False),
        sa.Column("stats", JSONData, nullable=False),
    )
    op.create_index("ix_crawl_runs_site_started", "crawl_runs", ["site", "started_at"])
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_FULL_TEXT, "postgresql": POSTGRESQL_FULL_TEXT}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")  # its triggers go with the articles table
    op.drop_table("crawl_runs")
    op.drop_table("article_revisions")
    op.drop_table("articles")
    op.drop_table("sites")

"""PostgreSQL keeps an article's LSH band keys in one array beside its sketches, under a GIN index,
instead of a row per key in story_bands: a row a key cost 64 rows, 64 foreign-key checks and 64
B-tree entries an article, and linking a third of extraction's time. Story keys are tied to their
period of STORY_PERIOD_DAYS (crawler/stories/sketch.py: period_keys) rather than stored with
their day, so the index alone keeps a lookup to the days near its window.

SQLite keeps story_bands: it has no arrays to index.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# As of this revision (crawler/stories/sketch.py): 32 copy keys an article, stored first in its
# array; story keys XOR their period (days // 7) shifted left 40 bits. SQL's floor division, as
# Python's, for days before 1970.
COPY_KEYS = 32
_PERIOD_SALT = "(floor({day}::numeric / 7)::bigint << 40)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE article_sketches ADD COLUMN band_keys bigint[]")
    salt = _PERIOD_SALT.format(day="band.day")
    op.execute(f"""UPDATE article_sketches SET band_keys = ARRAY(
        SELECT CASE WHEN band.day = 0 THEN band.band ELSE band.band # {salt} END
        FROM story_bands AS band WHERE band.article_id = article_sketches.article_id
        ORDER BY band.day <> 0, band.band)""")
    op.execute("ALTER TABLE article_sketches ALTER COLUMN band_keys SET NOT NULL")
    # fastupdate off: a pending list makes every lookup scan it, and linking looks up as often as it writes
    op.execute("CREATE INDEX band_keys_gin ON article_sketches USING GIN (band_keys) WITH (fastupdate = off)")
    op.drop_table("story_bands")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""CREATE TABLE story_bands (
        band BIGINT NOT NULL, day INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (band, day, article_id))""")
    salt = _PERIOD_SALT.format(day="sketch.story_day")
    op.execute(f"""INSERT INTO story_bands (band, day, article_id)
        SELECT CASE WHEN key.place <= {COPY_KEYS} THEN key.band ELSE key.band # {salt} END,
               CASE WHEN key.place <= {COPY_KEYS} THEN 0 ELSE sketch.story_day END, sketch.article_id
        FROM article_sketches AS sketch, unnest(sketch.band_keys) WITH ORDINALITY AS key(band, place)
        ON CONFLICT DO NOTHING""")
    op.drop_index("band_keys_gin", table_name="article_sketches")
    op.drop_column("article_sketches", "band_keys")

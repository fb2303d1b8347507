"""Copies and stories: the sketches that tell a republished copy of an article, and a report of
the same event, from what a page's text says. Pure (no database, no Scrapy): the store keeps the
sketches and finds candidates by their band keys (crawler/db/repository/stories.py)."""

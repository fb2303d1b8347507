"""Signals of the project's own, sent through Scrapy's signal manager (``crawler.signals``)."""

# Sent by pipelines/store.py once a write is done with some articles (stored, or set aside in the
# unsaved file): ``fetched_urls``, the addresses they were downloaded from. The shared frontier
# (crawler/ops/frontier/) releases their pages' leases then, not before.
articles_written = object()

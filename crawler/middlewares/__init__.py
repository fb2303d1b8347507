"""Downloader and spider middlewares: what a crawl does around each request (incremental
re-fetching, honouring Retry-After). Enabled and ordered in crawler/settings.py."""

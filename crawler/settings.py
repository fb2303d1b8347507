"""Every spacecrawl default in one place.

``SPACECRAWL_*`` settings come from here, are overridden by the environment variable of the same
name (read below), and by ``-s NAME=VALUE`` on the command line.
"""

import os

BOT_NAME = "spacecrawl"
SPIDER_MODULES: list[str] = []
# One spider per site definition (crawler/sites and SPACECRAWL_SITES_FILE), so `scrapy list`,
# `scrapy crawl NAME` and `scrapy crawlall` see the same sites.
SPIDER_LOADER_CLASS = "crawler.spiders.loader.SiteSpiderLoader"
COMMANDS_MODULE = "crawler.commands"

# --- where articles are stored -------------------------------------------------------------
# A SQLAlchemy URL: SQLite file by default; e.g. postgresql+psycopg://postgres@127.0.0.1/test
SPACECRAWL_DATABASE_URL = os.environ.get("SPACECRAWL_DATABASE_URL", "sqlite:///data/spacecrawl.db")
# A TOML file of extra sites ([[site]] tables) that join the built-in ones.
SPACECRAWL_SITES_FILE = os.environ.get("SPACECRAWL_SITES_FILE") or None
# `scrapy extract` turns this off: it runs every stage but storage.
SPACECRAWL_STORE_ENABLED = True
# Rows written per transaction; one commit per article costs an fsync each.
SPACECRAWL_STORE_BATCH_SIZE = 500
# Where the store writes, as JSON lines, articles it could not save (database down at the end of a crawl).
SPACECRAWL_UNSAVED_DIR = "data"

# --- what counts as an article -------------------------------------------------------------
# Pages with fewer words of body than this are dropped as "body_too_short".
SPACECRAWL_MIN_BODY_WORDS = 40
# A page declaring only a generic type (og:type "website", WebPage), with no date and fewer words
# than this, is a section or landing page: dropped as "not_article".
SPACECRAWL_UNDATED_PAGE_MIN_BODY_WORDS = 150

# --- text and dates ------------------------------------------------------------------------
# Dates later than the fetch time by more than this many hours are discarded as implausible.
SPACECRAWL_DATES_MAX_FUTURE_HOURS = 24
# Dates before this (ISO 8601) are discarded as implausible: no news site we crawl is older.
SPACECRAWL_DATES_EARLIEST = "1990-01-01"

# --- discovery -----------------------------------------------------------------------------
# How many listing pages deep a crawl follows pagination from a site's listing pages.
SPACECRAWL_LISTING_DEPTH = 3

# --- politeness ----------------------------------------------------------------------------
SPACECRAWL_CONTACT = os.environ.get("SPACECRAWL_CONTACT", "https://github.com/spacecrawl/spacecrawl")
USER_AGENT = f"spacecrawl/0.1 (+{SPACECRAWL_CONTACT})"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# One item per page: a large item concurrency only adds scheduling overhead.
CONCURRENT_ITEMS = 8
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# A host that cannot be reached is logged as one line per request, without Scrapy's traceback.
SPACECRAWL_ONE_LINE_NETWORK_ERRORS = True
EXTENSIONS = {"crawler.extensions.OneLineNetworkErrors": 0}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# --- the path of an article --------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.normalize_text.NormalizeTextPipeline": 200,
    "pipelines.strip_boilerplate.StripBoilerplatePipeline": 300,
    "pipelines.parse_dates.ParseDatesPipeline": 400,
    "pipelines.deduplicate.DeduplicatePipeline": 500,
    "pipelines.store.StorePipeline": 900,
}

"""Every spacecrawl default in one place.

``SPACECRAWL_*`` settings come from here, are overridden by the environment variable of the same
name (read below), and by ``-s NAME=VALUE`` on the command line. A number's, a switch's or a date's
annotation says how it is read (``str``: given as text); crawler/setting_checks.py turns a value
that does not read as one into a one-line usage error before a crawl starts.
"""

import os
from datetime import datetime

BOT_NAME = "spacecrawl"
SPIDER_MODULES: list[str] = []
# One spider per site definition (crawler/sites and SPACECRAWL_SITES_FILE), so `scrapy list`,
# `scrapy crawl NAME` and `scrapy crawlall` see the same sites.
SPIDER_LOADER_CLASS = "crawler.spiders.loader.SiteSpiderLoader"
COMMANDS_MODULE = "crawler.cli.commands"

# --- where articles are stored -------------------------------------------------------------
# A SQLAlchemy URL: SQLite file by default; e.g. postgresql+psycopg://postgres@127.0.0.1/test
SPACECRAWL_DATABASE_URL = os.environ.get("SPACECRAWL_DATABASE_URL", "sqlite:///data/spacecrawl.db")
# A TOML file of extra sites ([[site]] tables) that join the built-in ones.
SPACECRAWL_SITES_FILE = os.environ.get("SPACECRAWL_SITES_FILE") or None
# `scrapy extract` turns this off: it runs every stage but storage.
SPACECRAWL_STORE_ENABLED: bool = True
# Rows written per transaction; one commit per article costs an fsync each.
SPACECRAWL_STORE_BATCH_SIZE: int = 500
# Where the store writes, as JSON lines, articles it could not save (database down at the end of a crawl).
SPACECRAWL_UNSAVED_DIR = "data"
# Copies and stories (crawler/db/repository/stories.py): the store links each new article to the
# article it republishes (duplicate_of) and to the story it tells (story_id). Off: neither is set.
SPACECRAWL_STORIES: bool = True
# A copy: an earlier article holds at least this share of its body's 5-word shingles (a credit line,
# a new headline or a cut paragraph leave a copy well above it; two reports of one event share few).
SPACECRAWL_COPY_CONTAINMENT: float = 0.7
# One story: the estimated Jaccard similarity of their headline's and lead's names and longer words.
SPACECRAWL_STORY_SIMILARITY: float = 0.25
# ... published at most this many days from it and from its story's first article (copies: any time).
SPACECRAWL_STORY_WINDOW_DAYS: int = 3

# --- what counts as an article -------------------------------------------------------------
# Pages with fewer words of body than this are dropped as "body_too_short".
SPACECRAWL_MIN_BODY_WORDS: int = 40
# Pages with more are dropped as "body_too_long": the longest long-read or live blog has a few
# tens of thousands; a page with more is a dump (a log, a data file served as HTML), not an article.
SPACECRAWL_MAX_BODY_WORDS: int = 100_000
# A page declaring only a generic type (og:type "website", WebPage), with no date and fewer words
# than this, is a section or landing page: dropped as "not_article".
SPACECRAWL_UNDATED_PAGE_MIN_BODY_WORDS: int = 150

# --- text and dates ------------------------------------------------------------------------
# Dates later than the fetch time by more than this many hours are discarded as implausible.
SPACECRAWL_DATES_MAX_FUTURE_HOURS: float = 24
# Dates before this (ISO 8601) are discarded as implausible: no news site we crawl is older.
SPACECRAWL_DATES_EARLIEST: datetime | str = "1990-01-01"

# --- space knowledge ----------------------------------------------------------------------
# Tag each article with the gazetteer's entities (crawler/knowledge): agencies, companies,
# vehicles, spacecraft, missions, people, launch sites. Off: articles are stored without entities.
SPACECRAWL_ENTITIES_ENABLED: bool = True

# --- speed ---------------------------------------------------------------------------------
# Processes that extract articles beside the crawl's own (which is busy with Scrapy): every core
# but one, at least one; 0 extracts inline. Shared by the crawls of one process.
SPACECRAWL_EXTRACTION_WORKERS: int | str = os.environ.get("SPACECRAWL_EXTRACTION_WORKERS") or max(1, (os.cpu_count() or 2) - 1)
# A page a worker has not extracted in this many seconds (a typical one takes ms; a hostile one
# can hold lxml for minutes) is dropped as "extraction_timeout" and its worker replaced; 0: no
# limit. Inline extraction (0 workers) has none: nothing interrupts lxml in the crawl's thread.
SPACECRAWL_EXTRACTION_TIMEOUT_SECONDS: float = 30

# --- discovery -----------------------------------------------------------------------------
# How many listing pages deep a crawl follows pagination from a site's listing pages.
SPACECRAWL_LISTING_DEPTH: int = 3
# Scrapy's bound on every chain of links from where a crawl starts: a sitemap index that names a
# new index at every fetch would be followed until the crawl is stopped. Sitemaps nest two or three
# deep, listing pages SPACECRAWL_LISTING_DEPTH deep with their articles one below: keep it above both.
DEPTH_LIMIT = 10
# The largest response kept, as sent and after decompression (Scrapy's default: 1 GiB). A sitemap
# may hold 50 MB by its protocol and a news page a few MB; over this, a page or sitemap is skipped
# with one warning, so that a hostile one (a "gzip bomb") cannot take the crawl's memory.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
# The largest article page kept (bytes, as sent and after decompression): the heaviest news pages
# are a few MB, and extraction peaks at about 16-20x a page's size in memory (python -m
# benchmarks.faults), so an article at the 64 MiB above would cost over 1 GB. Sitemaps keep DOWNLOAD_MAXSIZE.
SPACECRAWL_ARTICLE_MAXSIZE: int = 8 * 1024 * 1024
# Scrapy's bound on one attempt at a request, from sending it to the response's last byte (its
# default: 180 s). A news page comes in seconds; a server sending one a byte a second is cut off
# here, warned about (crawler/middlewares/slow_server.py), and retried RETRY_TIMES (2) more times.
DOWNLOAD_TIMEOUT = 60
# A warning at each download that DOWNLOAD_TIMEOUT ends (Scrapy logs its retries at DEBUG).
SPACECRAWL_SLOW_SERVER_WARNINGS: bool = True

# --- politeness ----------------------------------------------------------------------------
# Where a site's operators can reach you. Environment only: `-s` comes after USER_AGENT is made
# from it (`-s USER_AGENT=...` replaces the whole User-Agent).
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
# Scrapy also logs a failed download at ERROR ("Error downloading"); at WARNING, giving up on its
# retries is not a second error for the same URL in a run's count.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
# A 429/503's Retry-After is waited out before Scrapy's retry, up to this many seconds.
SPACECRAWL_RETRY_AFTER_MAX_SECONDS: float = 300

# A host that cannot be reached is logged as one line per request, without Scrapy's traceback.
SPACECRAWL_ONE_LINE_NETWORK_ERRORS: bool = True
# Log counts per crawl, not per process: crawlall's crawls share one (crawler/ops/extensions.py).
EXTENSIONS = {"crawler.ops.extensions.OneLineNetworkErrors": 0, "crawler.ops.health.RunHealth": 0,
              "crawler.ops.dropped_pages.DroppedPagesMemory": 0, "crawler.ops.backfill.BackfillProgress": 0,
              "scrapy.extensions.logcount.LogCount": None, "crawler.ops.extensions.CrawlLogCount": 0}

# --- keeping the store current (scheduled, incremental, resumable crawls) ------------------------
# Re-crawls download only new or changed articles: lastmod hints, then conditional requests.
SPACECRAWL_INCREMENTAL: bool = True
# The revisit policy (crawler/middlewares/revisit.py): hours after publication (else after it was
# first stored) at which a feeds run or a backfill that meets a known article asks for it again
# (conditionally); past the last, only full runs look at it. Feeds runs otherwise fetch new URLs
# only. A site's `revisit_after_hours = [...]` replaces it; "" never revisits outside full runs.
SPACECRAWL_REVISIT_AFTER_HOURS = "1,6,24,168"
# A page a crawl dropped (not an article, a duplicate…) is remembered in the store and not
# downloaded again unless a hint or its validators say it changed, extraction's version
# (crawler.extraction.EXTRACTOR_VERSION) changed, or it was last looked at this many days ago.
SPACECRAWL_DROPPED_RECHECK_DAYS: float = 30
# Hours a site's robots.txt is kept between crawls (RFC 9309 allows up to 24), so that frequent
# feeds runs do not ask for it each time; 0: asked for at every crawl. Kept in
# SPACECRAWL_ROBOTSTXT_CACHE_DIR, under the project's .scrapy folder (Scrapy's HTTP cache storage).
SPACECRAWL_ROBOTSTXT_CACHE_HOURS: float | str = os.environ.get("SPACECRAWL_ROBOTSTXT_CACHE_HOURS") or 24
SPACECRAWL_ROBOTSTXT_CACHE_DIR = "robotstxt"
# Backfills (`scrapy crawl SITE -a mode=backfill [-a since=YYYY-MM-DD]`, crawler/spiders/backfill.py):
# a listing (or the run of monthly archives) stops after this many pages deep, a hard cap. Scrapy's
# DEPTH_LIMIT is raised by as much for a backfill.
SPACECRAWL_BACKFILL_MAX_PAGES: int = 1000
# … or after this many pages in a row held only articles stored before the backfill began (an earlier
# backfill reached there): above the pages a full run reads (SPACECRAWL_LISTING_DEPTH), so a first
# backfill after full runs goes past them.
SPACECRAWL_BACKFILL_KNOWN_PAGES: int = 20
# Seconds between a backfill's progress lines (pages, new articles, the oldest date reached).
SPACECRAWL_BACKFILL_PROGRESS_SECONDS: float = 30
# The store writes what it holds at least this often (seconds), so a killed crawl loses little.
SPACECRAWL_STORE_FLUSH_SECONDS: float = 5
# Writes run beside the crawl; one the database has not finished after this many seconds (a frozen
# connection, a SQLite file locked by another writer) is logged, and again every 4× as long.
SPACECRAWL_STORE_STALL_SECONDS: float = 20
# Articles held in memory while a write waits; past this the crawl waits too (memory stays bounded).
SPACECRAWL_STORE_MAX_PENDING: int = 2000
# At the end of a crawl, how long the store waits for the database before setting unsaved articles aside.
SPACECRAWL_STORE_CLOSE_WAIT_SECONDS: float = 60
# `scrapy schedule`: crawls running at once (never two of one site).
SPACECRAWL_SCHEDULE_MAX_PARALLEL: int = 2
# Minutes between feeds-only runs / full runs (with sitemaps) of every site; unset: each site's own
# feed_interval_minutes / sitemap_interval_minutes (built-in or from the sites file).
# Fractions of a minute compress the cycles (python -m benchmarks.schedule).
SPACECRAWL_FEED_INTERVAL_MINUTES: float | str | None = os.environ.get("SPACECRAWL_FEED_INTERVAL_MINUTES") or None
SPACECRAWL_SITEMAP_INTERVAL_MINUTES: float | str | None = os.environ.get("SPACECRAWL_SITEMAP_INTERVAL_MINUTES") or None
# Seconds the scheduler sleeps between looks at what is due.
SPACECRAWL_SCHEDULE_TICK_SECONDS: float = 15
# Where `scrapy schedule` writes each crawl's log (<site>-<mode>-<start>.log), and `scrapy crawlall`
# Scrapy's log (crawlall-<start>.log) unless -L, --logfile or LOG_LEVEL/LOG_FILE say otherwise.
SPACECRAWL_LOG_DIR = "data/logs"
# Run health: a run is compared with this many earlier runs of its site and mode (crawler/ops/health.py).
SPACECRAWL_HEALTH_HISTORY_RUNS: int = 10
# Fewer stored articles than this in a run: too few to judge its field coverage or body length.
SPACECRAWL_HEALTH_MIN_ARTICLES: int = 5
# Exit non-zero when a run raised an alert (also `scrapy crawl NAME --fail-on-alert`).
SPACECRAWL_FAIL_ON_ALERT: bool = False
# --- one crawl shared by many workers (crawler/ops/frontier/) -------------------------------
# A Redis URL (redis://host:6379/0): set, every crawl of a site — `scrapy crawl`, `crawlall`,
# Scrapyd jobs, on any machine — shares one request queue and dupefilter in Redis, and
# pipelines/deduplicate.py's memory of the crawl's articles; unset, each crawl is on its own.
SPACECRAWL_REDIS_URL = os.environ.get("SPACECRAWL_REDIS_URL") or None
# Keys are <prefix>:<site>:…, so that several projects (or tests) can share one Redis.
SPACECRAWL_REDIS_KEY_PREFIX = "spacecrawl"
# A worker that has not said it is alive for this long is taken for dead, and the requests it had
# taken go back into the queue: long enough for a busy worker (one extracting a hostile page inline
# holds its event loop), short enough that a killed one's pages do not wait for ever.
SPACECRAWL_REDIS_WORKER_TIMEOUT_SECONDS: int = 60
# How long a worker waits for a Redis that does not answer (restarting) before it stops, its run
# "redis_unavailable" (exit 1); the same command resumes the crawl once Redis is back.
SPACECRAWL_REDIS_WAIT_SECONDS: float = 120
# How long a worker tries to reach Redis when it starts, before it stops (run "redis_unavailable",
# exit 1, nothing crawled): a Redis not there at the start is more likely a wrong address than a restart.
SPACECRAWL_REDIS_START_WAIT_SECONDS: float = 5
# The add-on that switches the shared crawl on when SPACECRAWL_REDIS_URL is set, and is off otherwise.
ADDONS = {"crawler.ops.frontier.RedisFrontier": 0}

# Requests waiting to be fetched are kept in Scrapy's disk queues, in a temporary folder when no
# JOBDIR is set: a sitemap of 50,000 URLs would otherwise sit in memory as Request objects.
SCHEDULER = "crawler.ops.disk_queue.DiskQueueScheduler"
DOWNLOADER_MIDDLEWARES = {
    # before robots.txt and the download slots: a skipped article costs no wait
    "crawler.middlewares.incremental.NotModifiedMiddleware": 50,
    # Scrapy's, judging every request that waits for a site's robots.txt (Scrapy 2.19 lets all but one through)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsTxtMiddleware": 100,
    # sees a 429/503 before RetryMiddleware (550) retries it
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # sees a timeout before RetryMiddleware (550) retries it
    "crawler.middlewares.slow_server.SlowServerWarnings": 555,
    # hands HttpCompressionMiddleware (590) a compressed body it will not charset-sniff
    "crawler.middlewares.compressed_charset.CompressedCharsetMiddleware": 595,
    # Scrapy's HTTP cache for robots.txt alone, beside (before) HttpCacheMiddleware's place (900)
    "crawler.middlewares.robots_cache.RobotsTxtCache": 890,
    # Scrapy's, saying at INFO when it gives up on a redirect chain or a chain loops back on itself
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.traps.TrapRedirectMiddleware": 600,
}
SPIDER_MIDDLEWARES = {
    # known unchanged articles are dropped before they are scheduled
    "crawler.middlewares.incremental.IncrementalMiddleware": 940,
    "crawler.middlewares.incremental.ValidatorsMiddleware": 950,
    # right after Scrapy's DepthMiddleware (900): says at INFO when DEPTH_LIMIT first cuts links
    "crawler.middlewares.traps.DepthTrapMiddleware": 899,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
# A dropped page (not an article, a duplicate…) is one line, at INFO: drops are expected, and each
# reason is counted in the run's stats.
LOG_FORMATTER = "crawler.ops.log_formatter.OneLineDrops"
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"

# --- the path of an article --------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.normalize_text.NormalizeTextPipeline": 200,
    "pipelines.strip_boilerplate.StripBoilerplatePipeline": 300,
    "pipelines.parse_dates.ParseDatesPipeline": 400,
    "pipelines.tag_entities.TagEntitiesPipeline": 450,
    "pipelines.deduplicate.DeduplicatePipeline": 500,
    "pipelines.store.StorePipeline": 900,
}

"""Options and arguments several commands take: a site by name, --fetched-at, --fail-on-alert, --port,
the crawl's spider arguments (-a mode=… since=…)."""

from __future__ import annotations

import argparse
import difflib
from datetime import datetime

from scrapy.exceptions import UsageError

from crawler.db.query import site_names
from crawler.sites.base import Site, SiteError, all_sites
from crawler.spiders.backfill import backfill_since
from crawler.spiders.site import MODES


def site_named(name: str, sites_file: str | None) -> Site:
    """The site called ``name`` (built-in or from the sites file), or a one-line usage error."""
    try:
        sites = all_sites(sites_file)
    except SiteError as exc:
        raise UsageError(str(exc), print_help=False) from None
    if name not in sites:
        close = difflib.get_close_matches(name, sites, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; `scrapy list` shows them, `scrapy addsite` adds one"
        raise UsageError(f"no site is called {name!r}{hint}", print_help=False)
    return sites[name]


def site_list(text: str | None, option: str) -> tuple[str, ...]:
    """The names ``option`` gives (``--site a,b``): () when it is not given; a one-line usage error
    when it names none (``--site ,``, ``--site ""``), which would otherwise mean every site."""
    if text is None:
        return ()
    names = site_names(text)
    if not names:
        raise UsageError(f"{option} needs a site name (or several: {option} a,b)", print_help=False)
    return names


def sites_named(text: str | None, option: str, sites_file: str | None) -> dict[str, Site]:
    """The sites ``option`` names (``--sites a,b``), each a site of ours (else a one-line usage
    error naming the closest); every site when the option is not given."""
    names = site_list(text, option)
    if not names:
        try:
            return all_sites(sites_file)
        except SiteError as exc:
            raise UsageError(str(exc), print_help=False) from None
    return {name: site_named(name, sites_file) for name in names}


def parse_fetched_at(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"fetched_at {value!r} is not ISO 8601") from None


def fetched_at_option(value: str) -> datetime | None:
    """``--fetched-at`` for argparse: a value that is not ISO 8601 is a one-line usage error."""
    try:
        return parse_fetched_at(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_fail_on_alert(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fail-on-alert", action="store_true",
                        help="exit 1 when a run raised a health alert (also SPACECRAWL_FAIL_ON_ALERT)")


def port_number(text: str, lowest: int = 1) -> int:
    """A TCP port for argparse: ``lowest`` (1; 0 where the server can say which port it got) to 65535."""
    if not text.isdigit() or not lowest <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number ({lowest}-65535)")
    return int(text)


def check_spider_arguments(spargs: dict[str, str]) -> None:
    """A one-line usage error for a mode the spider does not know, or a ``since`` that is not a date
    or comes without ``mode=backfill`` (it would be ignored)."""
    mode = spargs.get("mode", "full")
    if mode not in MODES:
        raise UsageError(f"mode {mode!r}: use one of {', '.join(MODES)} (-a mode=feeds)", print_help=False)
    if "since" in spargs:
        if mode != "backfill":
            raise UsageError("since= is for backfills: -a mode=backfill -a since=YYYY-MM-DD", print_help=False)
        try:
            backfill_since(spargs["since"])
        except ValueError as error:
            raise UsageError(str(error), print_help=False) from None

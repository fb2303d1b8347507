"""`scrapy extract`: a crawl's extraction and pipeline stages (all but storage) over saved pages."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from scrapy.exceptions import DropItem, UsageError

from crawler.cli.arguments import fetched_at_option, parse_fetched_at
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.cli.errors import CommandError
from crawler.cli.output import text_output
from crawler.cli.pages import read_page
from crawler.items import to_record
from crawler.sitekit.offline import OfflineRun


class Command(KnownOptionsCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "PAGE.html[.gz] --url URL | --manifest CASES.jsonl [-o OUT.jsonl]"

    def short_desc(self) -> str:
        return "Extract articles from saved pages exactly as a crawl would, without storing them"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the address the page was fetched from")
        parser.add_argument("--fetched-at", type=fetched_at_option,
                            help="when the page was fetched (ISO 8601), for relative dates")
        parser.add_argument("--manifest", metavar="CASES.jsonl",
                            help="JSON lines with id, url, html (path relative to the manifest), fetched_at")
        parser.add_argument("-o", "--output", metavar="FILE", help="write JSON lines here (default: stdout)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if bool(opts.manifest) == bool(args):
            raise UsageError("give either one PAGE with --url, or --manifest CASES.jsonl")
        if args and (len(args) != 1 or not opts.url):
            raise UsageError("a single page needs its address: scrapy extract PAGE.html --url URL")
        assert self.settings is not None
        run = OfflineRun(self.settings)
        # What is read is read before the output is opened: a typo leaves no empty output behind.
        if opts.manifest:
            manifest = Path(opts.manifest)
            try:
                lines = manifest.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise UsageError(f"cannot read manifest {manifest}: {exc.strerror}", print_help=False) from None
            except UnicodeDecodeError:
                raise UsageError(f"manifest {manifest} is not UTF-8 text", print_help=False) from None
            try:
                with text_output(opts.output) as out:
                    self.exitcode = self._run_manifest(run, manifest, lines, out)
            except CommandError as error:
                self.fail(error)
        else:
            try:
                html = read_page(Path(args[0]))
            except (OSError, EOFError, gzip.BadGzipFile) as exc:
                raise UsageError(f"cannot read {args[0]}: {getattr(exc, 'strerror', None) or exc}",
                                 print_help=False) from None
            record = extracted(run, html, opts.url, opts.fetched_at)
            try:
                with text_output(opts.output) as out:
                    out.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
            except CommandError as error:
                self.fail(error)
                return
            self.exitcode = 0 if "body" in record else 1

    def _run_manifest(self, run: OfflineRun, manifest: Path, lines: list[str], out: TextIO) -> int:
        outcomes: Counter[str] = Counter()
        started = time.perf_counter()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            case = None
            try:
                case = json.loads(line)
                page, url, fetched_at = manifest.parent / case["html"], case["url"], parse_fetched_at(case.get("fetched_at"))
            except (ValueError, KeyError, TypeError) as exc:  # the line, not its page: that page's errors are its own
                record = {"id": case.get("id") if isinstance(case, dict) else None,
                          "error": f"{manifest}:{number}: bad manifest line ({exc})"}
            else:
                record = {"id": case.get("id")} | process(run, page, url, fetched_at)
            outcomes[outcome(record)] += 1
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elapsed = time.perf_counter() - started
        pages = sum(outcomes.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        print(f"extract: {pages} pages in {elapsed:.1f} s ({pages / max(elapsed, 1e-9):.1f} pages/s): {detail}",
              file=sys.stderr)
        return 0 if outcomes["article"] or not pages else 1


def process(run: OfflineRun, page: Path, url: str, fetched_at: datetime | None) -> dict[str, Any]:
    """One manifest page's record: the article, why there is none, or why the page was not read."""
    try:
        html = read_page(page)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return {"url": url, "error": f"cannot read {page}: {exc}"}
    return extracted(run, html, url, fetched_at)


def extracted(run: OfflineRun, html: str, url: str, fetched_at: datetime | None) -> dict[str, Any]:
    """One page's record: the article, or why there is none."""
    try:
        return to_record(run.process(url, html, fetched_at))
    except DropItem as exc:
        return {"url": url, "dropped": str(exc)}


def outcome(record: dict[str, Any]) -> str:
    if "error" in record:
        return "error"
    if "dropped" in record:
        return "dropped " + record["dropped"].split(":", 1)[0]
    return "article"

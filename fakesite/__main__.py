"""Serve a fake site by hand: python -m fakesite --articles 2000 --port 8080

or saved real pages, several copies of each: python -m fakesite --saved ../shared/corpus/cases.jsonl --copies 5"""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack
from pathlib import Path

from fakesite import FakeSite, serve
from fakesite.saved import SavedPagesSite


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m fakesite", description=__doc__)
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--page-kb", type=int, default=30)
    parser.add_argument("--gzip", action="store_true", help="gzip article pages, no charset in Content-Type")
    parser.add_argument("--no-meta-charset", action="store_true", help="HTML pages without <meta charset>")
    parser.add_argument("--lazy", action="store_true", help="render article pages per request (large sites)")
    parser.add_argument("--fail-every", type=int, default=0, help="first request to every n-th article: 503")
    parser.add_argument("--saved", metavar="CASES.jsonl", type=Path,
                        help="serve the pages this manifest lists (a corpus's), not generated ones")
    parser.add_argument("--copies", type=int, default=1, help="with --saved: copies of each page, at distinct URLs")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--sites-toml", metavar="PATH", help="write the site's [[site]] entry here, not to stdout")
    args = parser.parse_args()
    started = time.perf_counter()
    site: FakeSite | SavedPagesSite
    try:
        if args.saved:
            site = SavedPagesSite.from_manifest(args.saved, args.copies, gzip_pages=args.gzip)
        else:
            site = FakeSite(args.articles, seed=args.seed, page_kb=args.page_kb, gzip=args.gzip,
                            fail_every=args.fail_every, meta_charset=not args.no_meta_charset, lazy=args.lazy)
    except (ValueError, KeyError) as exc:
        parser.error(str(exc))
    except OSError as exc:
        parser.error(f"cannot read {exc.filename}: {exc.strerror}")
    with ExitStack() as stack:
        try:
            base_url = stack.enter_context(serve(site, port=args.port))
        except OSError as exc:
            parser.error(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}")
        made = (f"{len(site.article_paths)} saved pages ({len(site.articles)} × {site.copies}) read"
                if isinstance(site, SavedPagesSite) else f"{len(site.pages)} pages generated and rendered")
        print(f"{made} in {time.perf_counter() - started:.2f} s; serving {base_url}/ (Ctrl-C stops)", flush=True)
        if args.sites_toml:
            try:
                Path(args.sites_toml).write_text(site.sites_toml(), encoding="utf-8")
            except OSError as exc:
                parser.error(f"cannot write {args.sites_toml}: {exc.strerror}")
        else:
            print(site.sites_toml(), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()

"""Extraction accuracy and speed on the real-page corpus: spacecrawl vs trafilatura, same run.

    python -m benchmarks.extraction [CORPUS] [--split dev|heldout|all] [--only spacecrawl|trafilatura] [--worst N]
                                    [--ablate metadata|names] [--title-sources] [--misses]

spacecrawl runs the path `scrapy extract` runs (crawler.sitekit.offline: extraction, then every pipeline
stage but storage), so a page a stage drops counts as dropped with an empty prediction.
trafilatura runs ``bare_extraction(html, url=url, with_metadata=True)`` with default settings.
Both get the same decoded HTML; only the extraction call is timed. Scoring: benchmarks/scoring.py.
``--split`` scores one fixed half of the corpus (benchmarks.scoring.split_of): develop against
"dev", and read "heldout" as the figure for pages the extractor was not tuned on.
``--ablate`` takes away what many sites do not give, to show how extraction does from the rest,
for both extractors: ``metadata`` removes JSON-LD and <meta> tags, which many small sites do not
declare (<title>, microdata attributes and <time datetime> stay); ``names`` replaces every class
and id with a hash of it, as sites built with CSS-in-JS serve them (structure without a CMS's
vocabulary).
``--title-sources`` shows how often each title a page gives (JSON-LD headline, og:title, twitter:title,
<title> without the site's name, first <h1>) is the gold one, and how often any of them is: the
ceiling for choosing among them.
``--misses`` lists each page whose title or date spacecrawl gets wrong, with its outlet's fold and
whether rules were developed on it: for a title, what each source gives (* where it is the gold
one); for a date, what was found and whether the saved page could show the gold at all.
"""

from __future__ import annotations

import argparse
import hashlib
import html as html_entities
import logging
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem
from scrapy.settings import Settings

import lxml.html

from benchmarks.comment_section import with_comment_sections
from benchmarks.scoring import (DEV_FOLDS, FOLDS, SPLITS, Case, Prediction, Totals, body_match, corpus_dir,
                                date_hits, dated_after_saving, fold_of, in_former_dev_half, load_cases, outlet_of,
                                prediction_of, title_exact)
from crawler.extraction import decode_html
from crawler.extraction.article import parse_html
from crawler.extraction.authors import site_names
from crawler.extraction.blocks import text_of
from crawler.extraction.metadata import jsonld_field, read_metadata, text_value
from crawler.extraction.title import strip_site_name

Extractor = Callable[[Case, str], Prediction]

COLUMNS = (  # (heading, summary key, format)
    ("body P", "body_p", "{:.3f}"), ("body R", "body_r", "{:.3f}"), ("body F1", "body_f1", "{:.3f}"),
    ("title", "title", "{:.3f}"), ("day", "date_day", "{:.3f}"), ("instant", "date_instant", "{:.3f}"),
    ("authors", "authors_f1", "{:.3f}"), ("leaks", "exclude_leak", "{:.3f}"),
    ("include", "include_found", "{:.3f}"), ("pages/s", "pages_per_s", "{:.1f}"), ("dropped", "dropped", "{}"),
)


def spacecrawl_extractor() -> Extractor:
    from crawler import settings as project_settings
    from crawler.sitekit.offline import OfflineRun

    run = OfflineRun(Settings(values={k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}))

    def extract(case: Case, html: str) -> Prediction:
        fetched_at = datetime.fromisoformat(case.fetched_at) if case.fetched_at else None
        try:
            article = run.process(case.url, html, fetched_at)
        except DropItem as exc:
            return Prediction(dropped=str(exc))
        return prediction_of(article)

    return extract


def trafilatura_extractor() -> Extractor:
    import trafilatura

    def extract(case: Case, html: str) -> Prediction:
        document = trafilatura.bare_extraction(html, url=case.url, with_metadata=True)
        if document is None:
            return Prediction(dropped="no result")
        authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
        return Prediction(title=document.title, authors=authors, published=document.date, body=document.text)

    return extract


def without_metadata(html: str) -> str:
    root = parse_html(html)
    if root is None:
        return html
    for element in root.xpath("//script[@type='application/ld+json'] | //meta[@name or @property or @itemprop]"):
        element.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def without_names(html: str) -> str:
    root = parse_html(html)
    if root is None:
        return html
    for element in root.iter():
        for attribute in ("class", "id"):
            if isinstance(element.tag, str) and element.get(attribute):
                element.set(attribute, " ".join("h" + hashlib.sha1(word.encode()).hexdigest()[:8]
                                                for word in element.get(attribute).split()))
    return lxml.html.tostring(root, encoding="unicode")


ABLATIONS = {"metadata": without_metadata, "names": without_names}
# A page's body counts as collapsed under COLLAPSE_F1 when the baseline reaches TRUSTED_F1 on it.
COLLAPSE_F1 = 0.5
TRUSTED_F1 = 0.8


@dataclass
class Run:
    """One extractor's predictions over the cases, and the seconds each took."""
    predictions: dict[str, Prediction]
    seconds: dict[str, float]

    def totals(self, cases: list[Case]) -> Totals:
        totals = Totals()
        for case in cases:
            totals.add(case, self.predictions[case.id])
            totals.seconds += self.seconds[case.id]
        return totals


def run(extractor: Extractor, cases: list[Case], pages: dict[str, str]) -> Run:
    predictions, seconds = {}, {}
    for case in cases:
        started = time.perf_counter()
        predictions[case.id] = extractor(case, pages[case.id])
        seconds[case.id] = time.perf_counter() - started
    return Run(predictions, seconds)


TITLE_SOURCES = ("JSON-LD headline", "og:title", "twitter:title", "<title>", "<h1>")


def titles_given(case: Case, html: str) -> dict[str, str]:
    """Each title the page gives, by source, the site's name taken off the declared ones and entities
    decoded, as extraction reads them (a JSON-LD headline may hold "&quot;")."""
    root = parse_html(html)
    if root is None:
        return {}
    metadata = read_metadata(root)
    names = site_names(metadata, (urlsplit(case.url).hostname or "").lower())
    declared = (text_value(jsonld_field(metadata, "headline")), metadata.first_meta("og:title"),
                metadata.first_meta("twitter:title"), metadata.title_tag)
    given = {source: strip_site_name(" ".join(html_entities.unescape(title).split()), names)
             for source, title in zip(TITLE_SOURCES, declared) if title}
    h1 = next(root.iter("h1"), None)
    if h1 is not None and text_of(h1):
        given["<h1>"] = text_of(h1)
    return given


def title_sources(cases: list[Case], pages: dict[str, str], predictions: dict[str, Prediction]) -> str:
    """How often each source's title is the gold one, where the page gives it and over all titled pages."""
    titled = [case for case in cases if "title" in case.gold]
    if not titled:
        return "titles by source: no page here has a gold title"
    given = {case.id: titles_given(case, pages[case.id]) for case in titled}
    lines = [f"titles by source ({len(titled)} pages with a gold title):",
             f"  {'source':<18}{'given':>7}{'right where given':>19}{'right of all':>14}"]
    for source in TITLE_SOURCES:
        having = [case for case in titled if source in given[case.id]]
        right = sum(title_exact(case.gold["title"], given[case.id][source]) for case in having)
        share = f"{right / len(having):.3f}" if having else "-"
        lines.append(f"  {source:<18}{len(having):>7}{share:>19}{right / len(titled):>14.3f}")
    ceiling = sum(any(title_exact(case.gold["title"], t) for t in given[case.id].values()) for case in titled)
    lines.append(f"  {'any of them':<18}{'':>7}{'':>19}{ceiling / len(titled):>14.3f}")
    if predictions:
        chosen = sum(title_exact(case.gold["title"], predictions[case.id].title) for case in titled)
        lines.append(f"  {'spacecrawl':<18}{'':>7}{'':>19}{chosen / len(titled):>14.3f}")
    return "\n".join(lines)


def table(runs: dict[str, Run], groups: dict[str, list[Case]], heading: str = "source") -> str:
    """One row per group and extractor, groups in the order given."""
    header = f"{heading:<36}{'extractor':<13}" + "".join(f"{h:>9}" for h, _, _ in COLUMNS)
    lines = [header, "-" * len(header)]
    for group, cases in groups.items():
        for name, extractor_run in runs.items():
            summary = extractor_run.totals(cases).summary()
            cells = "".join(f"{'-' if summary[k] is None else fmt.format(summary[k]):>9}" for _, k, fmt in COLUMNS)
            lines.append(f"{group + f' ({len(cases)})':<36}{name:<13}{cells}")
        lines.append("")
    return "\n".join(lines)


def grouped(cases: list[Case], key: Callable[[Case], str]) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = {}
    for case in sorted(cases, key=key):
        groups.setdefault(key(case), []).append(case)
    return groups


def tuned_or_not(cases: list[Case]) -> dict[str, list[Case]]:
    """Pages the rules were developed on, the other pages of those outlets, and the outlets never
    developed on: how far the figures on the first carry to the last is what an unseen site gets."""
    tuned_outlets = {outlet_of(case.url) for case in cases if in_former_dev_half(case.id)}

    def kind(case: Case) -> str:
        if in_former_dev_half(case.id):
            return "pages developed on"
        return "their outlets' other pages" if outlet_of(case.url) in tuned_outlets else "outlets never developed on"

    groups = grouped(cases, kind)
    return {name: groups[name] for name in ("pages developed on", "their outlets' other pages",
                                            "outlets never developed on") if name in groups}


def unshowable_dates(groups: dict[str, list[Case]]) -> str:
    """How many gold dates of each group fall over a day after their page was saved: the ceiling
    for same day and same minute there."""
    counts = []
    for name, cases in groups.items():
        dated = [case for case in cases if case.gold.get("published")]
        counts.append(f"{name} {sum(dated_after_saving(case) for case in dated)} of {len(dated)}")
    return "gold dates no saved page can show (over a day after saving): " + ", ".join(counts)


def misses(cases: list[Case], pages: dict[str, str], predictions: dict[str, Prediction]) -> str:
    """The pages whose title or date spacecrawl gets wrong: for a title, each source's (* = the
    gold one); for a date, ours and whether the saved page could show the gold."""
    kinds = {case.id: kind for kind, group in tuned_or_not(cases).items() for case in group}
    lines = []
    for case in cases:
        prediction, gold = predictions[case.id], case.gold
        wrong = []
        if "title" in gold and not title_exact(gold["title"], prediction.title):
            wrong.append(f"  title: gold {gold['title']!r}, ours {prediction.title!r}")
            wrong.extend(f"    {'*' if title_exact(gold['title'], given) else ' '} {source}: {given!r}"
                         for source, given in titles_given(case, pages[case.id]).items())
        if gold.get("published"):
            day, instant = date_hits(gold["published"], prediction)
            if not day or instant is False:
                shown = "no page can show it" if dated_after_saving(case) else "the page could show it"
                wrong.append(f"  date: gold {gold['published']}, ours {prediction.published} "
                             f"({prediction.zone or 'no zone'}{', day only' if prediction.day_only else ''}): "
                             f"{'same day' if day else 'another day'}, {shown}")
        if wrong:
            lines.append(f"{case.id} ({outlet_of(case.url)}, fold {fold_of(case.url)}, {kinds[case.id]})")
            lines.extend(wrong)
    return "\n".join(["title and date misses:", *(lines or ["  none"])])


def collapses(cases: list[Case], runs: dict[str, Run]) -> list[str]:
    """Pages where spacecrawl's body scores under COLLAPSE_F1 while trafilatura reaches TRUSTED_F1."""
    found = []
    for case in cases:
        if "body" not in case.gold:
            continue
        ours, theirs = (body_f1(case, runs[name].predictions[case.id]) for name in ("spacecrawl", "trafilatura"))
        if ours < COLLAPSE_F1 and theirs >= TRUSTED_F1:
            found.append(f"  {case.id} ({outlet_of(case.url)}): {ours:.3f} vs {theirs:.3f}")
    return found


def body_f1(case: Case, prediction: Prediction) -> float:
    match = body_match(case.gold["body"], prediction.body)
    return 2 * match.precision * match.recall / (match.precision + match.recall or 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="corpus folder (default $SPACECRAWL_CORPUS or ../shared/corpus)")
    parser.add_argument("--split", choices=SPLITS, default="all", help="score one half of the corpus (default all)")
    parser.add_argument("--only", choices=("spacecrawl", "trafilatura"), help="run one extractor")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list the N worst pages by body F1")
    parser.add_argument("--ablate", choices=sorted(ABLATIONS),
                        help="take JSON-LD and <meta> tags (metadata), or class and id names (names), off the pages")
    parser.add_argument("--with-comments", action="store_true",
                        help="add a WordPress comment section after each page's article; leaks count its texts")
    parser.add_argument("--title-sources", action="store_true",
                        help="how often each title the page gives is the gold one, and any of them")
    parser.add_argument("--misses", action="store_true",
                        help="list the pages whose title or date spacecrawl gets wrong, with what each source gives")
    args = parser.parse_args()
    directory = corpus_dir(args.corpus)
    if not (directory / "cases.jsonl").is_file():
        sys.exit(f"no corpus at {directory} (cases.jsonl missing); give its folder as the first argument")
    logging.disable(logging.WARNING)  # trafilatura and the pipelines log per page
    warnings.simplefilter("ignore")
    cases = load_cases(directory, args.split)
    pages = {case.id: decode_html(case.html_bytes()) for case in cases}
    if args.ablate:
        pages = {case_id: ABLATIONS[args.ablate](html) for case_id, html in pages.items()}
    if args.with_comments:
        cases, pages = with_comment_sections(cases, pages)
    extractors = {"spacecrawl": spacecrawl_extractor, "trafilatura": trafilatura_extractor}
    runs = {name: run(build(), cases, pages) for name, build in extractors.items() if args.only in (None, name)}
    ablated = f", without {args.ablate}" if args.ablate else ""
    ablated += ", each with a comment section after its article" if args.with_comments else ""
    print(f"corpus: {directory}, split {args.split} ({len(cases)} pages){ablated}  —  spacecrawl vs trafilatura\n")
    by_source = grouped(cases, lambda case: case.source)
    print(table(runs, {**by_source, "all": cases}))
    if len(runs) == 2:
        ours, theirs = (runs[name].totals(cases).seconds for name in ("spacecrawl", "trafilatura"))
        print(f"speed: spacecrawl {len(cases) / ours:.1f} pages/s = {theirs / ours:.2f}x trafilatura")
    late = sum(dated_after_saving(case) for case in cases)
    if late:
        dated = sum(1 for case in cases if case.gold.get("published"))
        print(f"dates: {late} of {dated} gold dates fall over a day after their page was saved (fetched_at): "
              "the saved page cannot show them\n")
    print(f"grouped folds: every page of an outlet in one fold (folds 0-{DEV_FOLDS - 1} are --split dev, "
          f"{DEV_FOLDS}-{FOLDS - 1} heldout)\n")
    print(table(runs, {f"fold {fold}": group for fold, group in
                       grouped(cases, lambda case: str(fold_of(case.url))).items()}, "outlet fold"))
    print("tuned or not: the pages rules were developed on before the folds, and the outlets never developed on\n")
    print(table(runs, tuned_or_not(cases), "pages"))
    print(unshowable_dates(tuned_or_not(cases)) + "\n")
    if len(runs) == 2:
        found = collapses(cases, runs)
        print(f"pages where spacecrawl's body F1 < {COLLAPSE_F1} while trafilatura's ≥ {TRUSTED_F1}: {len(found)}")
        print("\n".join(found))
    spacecrawl = runs.get("spacecrawl")
    if args.title_sources:
        print(title_sources(cases, pages, spacecrawl.predictions if spacecrawl else {}))
    if args.misses and spacecrawl:
        print(misses(cases, pages, spacecrawl.predictions))
    if args.worst and spacecrawl:
        print(f"\nworst {args.worst} pages by spacecrawl body F1 (P/R):")
        scored = []
        for case in cases:
            if "body" in case.gold:
                prediction = spacecrawl.predictions[case.id]
                match = body_match(case.gold["body"], prediction.body)
                scored.append((body_f1(case, prediction), match.precision, match.recall, case.id, prediction.dropped))
        for f1, precision, recall, case_id, dropped in sorted(scored)[:args.worst]:
            print(f"  {f1:.3f}  P {precision:.3f}  R {recall:.3f}  {case_id}{'  dropped: ' + dropped if dropped else ''}")

if __name__ == "__main__":
    main()

"""How extraction is scored against the corpus gold (see the corpus README).

One module for the benchmark and the corpus tests, so both count the same way:
body 4-gram shingles (the article-extraction-benchmark's method), folded titles, dates on the
same day / within 60 s, author-set F1, and the boilerplate snippet checks.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTANT_TOLERANCE = timedelta(seconds=60)
_WORD = re.compile(r"\w+")
_PUNCTUATION_RUN = re.compile(r"[\W_]+")
_WHITESPACE_RUN = re.compile(r"\s+")


def corpus_dir(explicit: str | None = None) -> Path:
    """The corpus folder: an explicit path, else $SPACECRAWL_CORPUS, else ../shared/corpus."""
    chosen = explicit or os.environ.get("SPACECRAWL_CORPUS") or str(REPO_ROOT.parent / "shared" / "corpus")
    return Path(chosen)


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    url: str
    html_path: Path
    gold: dict[str, Any]
    fetched_at: str | None = None

    def html_bytes(self) -> bytes:
        return gzip.decompress(self.html_path.read_bytes())


SPLITS = ("dev", "heldout", "all")
FOLDS = 5  # outlet folds; the first DEV_FOLDS are "dev", the rest "heldout"
DEV_FOLDS = 3
# Second-level labels under which a country's outlets register (news.co.uk, abc.net.au): the
# outlet is then the last three labels of the host, not two.
SECOND_LEVEL_LABELS = {"co", "com", "org", "net", "ac", "gov", "ne", "or", "go"}


def outlet_of(url: str) -> str:
    """The publisher a page belongs to: its registered domain (www.bbc.co.uk and m.bbc.co.uk are bbc.co.uk)."""
    labels = (urlsplit(url).hostname or "").lower().split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL_LABELS and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def fold_of(url: str) -> int:
    """The grouped fold of a page, fixed by a hash of its outlet: every page of one publisher falls
    in the same fold, so a rule shaped by one outlet's pages cannot score on its other pages."""
    return hashlib.sha256(outlet_of(url).encode("utf-8")).digest()[0] % FOLDS


def split_of(url: str) -> str:
    """The half a page belongs to, by its outlet's fold: develop looking only at "dev" failures;
    "heldout" shows how extraction does on publishers it was not tuned on."""
    return "dev" if fold_of(url) < DEV_FOLDS else "heldout"


def in_former_dev_half(case_id: str) -> bool:
    """Whether a page was in the half that rules were developed on until extraction was judged on
    outlet folds: that half was drawn by page, so an outlet with a page in it counts as one the
    rules were tuned on."""
    return hashlib.sha256(case_id.encode("utf-8")).digest()[0] % 2 == 0


def load_cases(directory: Path, split: str = "all") -> list[Case]:
    """The corpus cases, or only those of one ``split`` ("dev" or "heldout")."""
    cases = []
    with open(directory / "cases.jsonl", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                if split != "all" and split_of(row["url"]) != split:
                    continue
                cases.append(Case(id=row["id"], source=row["source"], url=row["url"],
                                  html_path=directory / row["html"], gold=row["gold"],
                                  fetched_at=row.get("fetched_at")))
    return cases


# --- body ----------------------------------------------------------------------------------

def shingles(text: str | None, size: int = 4) -> Counter[str]:
    tokens = _WORD.findall(text or "")
    return Counter(" ".join(tokens[i:i + size]) for i in range(max(1, len(tokens) - size + 1))
                   if tokens[i:i + size])


@dataclass(frozen=True)
class BodyMatch:
    """Shared, extra and missing shingles of one page, scaled to sum to 1."""
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0  # nothing predicted: right only if nothing expected
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        return 1.0 if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)


def body_match(gold: str | None, predicted: str | None) -> BodyMatch:
    expected, found = shingles(gold), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    total = tp + fp + fn
    return BodyMatch(tp / total, fp / total, fn / total) if total else BodyMatch(0.0, 0.0, 0.0)


def harmonic_mean(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


# --- title and authors ---------------------------------------------------------------------

def fold(text: str | None) -> str:
    """NFKC, invisible format characters (soft hyphen, zero-width space) removed, case folded,
    punctuation as spaces, whitespace collapsed."""
    text = "".join(c for c in text or "" if unicodedata.category(c) != "Cf") if text and not text.isascii() else text
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return _PUNCTUATION_RUN.sub(" ", folded).strip()


def title_exact(gold: str, predicted: str | None) -> bool:
    return fold(gold) == fold(predicted)


def authors_f1(gold: Iterable[str], predicted: Iterable[str]) -> float:
    expected = {fold(name) for name in gold} - {""}
    found = {fold(name) for name in predicted} - {""}
    if not expected and not found:
        return 1.0
    shared = len(expected & found)
    if not shared:
        return 0.0
    return harmonic_mean(shared / len(found), shared / len(expected))


# --- dates ---------------------------------------------------------------------------------

def gold_has_time(gold: str) -> bool:
    return "T" in gold or " " in gold.strip()


def _as_datetime(value: datetime | date | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _as_shown(found: datetime, zone: str | None) -> datetime:
    """An aware prediction as the page's clock shows it: in the zone the extractor took the page
    to be in, else as written. A gold without an offset is the page's clock."""
    if zone and found.tzinfo:
        found = found.astimezone(ZoneInfo(zone))
    return found.replace(tzinfo=None)


def dated_after_saving(case: Case) -> bool:
    """Whether the gold dates the page over a day after it was saved: a page saved before it was
    published cannot show that date, so no extractor reading it can find it."""
    published, saved = _as_datetime(case.gold.get("published")), _as_datetime(case.fetched_at)
    if published is None or saved is None:
        return False
    return published.replace(tzinfo=None) - saved.replace(tzinfo=None) > timedelta(days=1)


def same_day(gold: str, predicted: datetime | str | None, zone: str | None = None, day_only: bool = False) -> bool:
    """The calendar day the gold names, seen in the gold's own offset (or, for a gold without one,
    on the page's clock). A prediction of a day without a time (``day_only``: spacecrawl stores it
    at midnight UTC) is that day as written, on any clock."""
    expected, found = _as_datetime(gold), _as_datetime(predicted)
    if expected is None or found is None:
        return False
    if day_only:
        found = found.replace(tzinfo=None)
    elif expected.tzinfo is not None and found.tzinfo is not None:
        found = found.astimezone(expected.tzinfo)
    elif expected.tzinfo is None:
        found = _as_shown(found, zone)
    return expected.date() == found.date()


def same_instant(gold: str, predicted: datetime | str | None, zone: str | None = None, day_only: bool = False) -> bool:
    """Within a minute of the gold; a prediction without an offset is not an instant. A gold
    without an offset is compared with the prediction on the page's clock (``zone``). A day
    without a time (``day_only``) is midnight as written: it matches only a gold at midnight, as
    golds give a day."""
    expected, found = _as_datetime(gold), _as_datetime(predicted)
    if expected is None or found is None or found.tzinfo is None:
        return False
    if expected.tzinfo is None:
        shown = found.replace(tzinfo=None) if day_only else _as_shown(found, zone)
        return abs(expected - shown) <= INSTANT_TOLERANCE
    return abs(expected - found) <= INSTANT_TOLERANCE


# --- boilerplate snippets --------------------------------------------------------------------

def collapse(text: str | None) -> str:
    return _WHITESPACE_RUN.sub(" ", text or "").strip()


def snippets_found(snippets: Iterable[str], body: str | None) -> tuple[int, int]:
    """(found, total) of ``snippets`` in ``body``, whitespace collapsed."""
    haystack = collapse(body)
    wanted = [collapse(s) for s in snippets]
    return sum(1 for s in wanted if s and s in haystack), len(wanted)


# --- a page's prediction and the totals over many ------------------------------------------

@dataclass
class Prediction:
    """What an extractor said about one page (dates as ISO text or datetimes)."""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | str | None = None
    body: str | None = None
    dropped: str | None = None  # why the page yielded no article, if it did not
    zone: str | None = None  # the zone the extractor took the page's clock to be in, if any
    day_only: bool = False  # the page gave the day without a time


def date_hits(gold: str, prediction: Prediction) -> tuple[bool, bool | None]:
    """Whether the prediction is on the gold's day, and within a minute of it (None when the gold
    gives no time of day)."""
    day = same_day(gold, prediction.published, prediction.zone, prediction.day_only)
    if not gold_has_time(gold):
        return day, None
    return day, same_instant(gold, prediction.published, prediction.zone, prediction.day_only)


def prediction_of(article: Any) -> Prediction:
    """What a spacecrawl ``crawler.items.Article`` says, as a prediction."""
    return Prediction(title=article.title, authors=list(article.authors), published=article.published,
                      body=article.body, zone=article.timezone, day_only=article.published_without_time)


@dataclass
class Totals:
    pages: int = 0
    dropped: int = 0
    seconds: float = 0.0
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    title_hits: list[bool] = field(default_factory=list)
    day_hits: list[bool] = field(default_factory=list)
    instant_hits: list[bool] = field(default_factory=list)
    author_f1: list[float] = field(default_factory=list)
    excluded_leaked: int = 0
    excluded_total: int = 0
    included_found: int = 0
    included_total: int = 0

    def add(self, case: Case, prediction: Prediction) -> None:
        gold = case.gold
        self.pages += 1
        self.dropped += prediction.dropped is not None
        if "body" in gold:
            match = body_match(gold["body"], prediction.body)
            self.precision.append(match.precision)
            self.recall.append(match.recall)
        if "title" in gold:
            self.title_hits.append(title_exact(gold["title"], prediction.title))
        if gold.get("published"):
            day, instant = date_hits(gold["published"], prediction)
            self.day_hits.append(day)
            if instant is not None:
                self.instant_hits.append(instant)
        if "authors" in gold:
            self.author_f1.append(authors_f1(gold["authors"], prediction.authors))
        if "must_exclude" in gold:
            leaked, total = snippets_found(gold["must_exclude"], prediction.body)
            self.excluded_leaked += leaked
            self.excluded_total += total
        if "must_include" in gold:
            found, total = snippets_found(gold["must_include"], prediction.body)
            self.included_found += found
            self.included_total += total

    def merge(self, other: Totals) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    @staticmethod
    def _mean(values: list[float] | list[bool]) -> float | None:
        return sum(values) / len(values) if values else None

    def summary(self) -> dict[str, float | int | None]:
        precision, recall = self._mean(self.precision), self._mean(self.recall)
        return {
            "pages": self.pages,
            "body_p": precision,
            "body_r": recall,
            "body_f1": harmonic_mean(precision, recall) if precision is not None and recall is not None else None,
            "title": self._mean(self.title_hits),
            "date_day": self._mean(self.day_hits),
            "date_instant": self._mean(self.instant_hits),
            "authors_f1": self._mean(self.author_f1),
            "exclude_leak": self.excluded_leaked / self.excluded_total if self.excluded_total else None,
            "include_found": self.included_found / self.included_total if self.included_total else None,
            "pages_per_s": self.pages / self.seconds if self.seconds else None,
            "dropped": self.dropped,
        }


def iter_sources(cases: list[Case]) -> Iterator[str]:
    yield from sorted({case.source for case in cases})

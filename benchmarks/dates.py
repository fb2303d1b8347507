"""Date parsing speed: the parse_dates stage's parser vs dateparser.parse on the same strings.

    python -m benchmarks.dates [--repeat N]

Prints µs per call for each kind of string the stage meets, and the ratio dateparser / ours in
the same run; also what constructing a dateparser DateDataParser costs, the reason the stage
builds one per call instead of caching them.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime

import dateparser
from dateparser.date import DateDataParser

from pipelines.parse_dates import parse_date

BASE = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)
SETTINGS = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC",
            "TO_TIMEZONE": "UTC", "RELATIVE_BASE": BASE}
KINDS = {  # kind -> strings as pages give them
    "ISO 8601": ["2024-03-05T10:15:00Z", "2024-03-05T10:15:00+00:00", "2024-06-05T08:30:00.000-04:00",
                 "2024-06-05"],
    "RFC 2822": ["Tue, 05 Mar 2024 10:15:00 GMT", "Wed, 05 Jun 2024 08:30:00 -0400",
                 "Wed, 05 Jun 2024 08:30:00 +0000"],
    "English": ["June 5, 2024", "June 5, 2024 at 3:15 pm ET", "Wed, Jun. 5, 2024, 3:15 p.m. EDT"],
    "other (dateparser in both)": ["3. März 2024", "12 janvier 2023 à 14h30", "3 hours ago"],
}


def per_call_us(function: Callable[[str], object], strings: list[str], repeat: int) -> float:
    for text in strings:  # warm up: locale loading is a one-off cost
        function(text)
    start = time.perf_counter()
    for _ in range(repeat):
        for text in strings:
            function(text)
    return (time.perf_counter() - start) / (repeat * len(strings)) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="rounds over each kind's strings")
    repeat = parser.parse_args().repeat

    def ours(text: str) -> object:
        return parse_date(text, relative_base=BASE)

    def theirs(text: str) -> object:
        return dateparser.parse(text, settings=SETTINGS)

    print(f"{'strings':<28} {'ours µs':>9} {'dateparser µs':>14} {'ratio':>7}")
    for kind, strings in KINDS.items():
        mine = per_call_us(ours, strings, repeat)
        reference = per_call_us(theirs, strings, max(1, repeat // 10))
        print(f"{kind:<28} {mine:>9.1f} {reference:>14.1f} {reference / mine:>6.1f}x")
    construct = per_call_us(lambda _: DateDataParser(languages=["de", "en"], settings=SETTINGS), ["-"], repeat)
    print(f"DateDataParser construction: {construct:.1f} µs")


if __name__ == "__main__":
    main()

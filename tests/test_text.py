"""crawler.text: the vocabulary extraction, the pipelines and `scrapy checksite` share."""

from __future__ import annotations

import re

import pytest

from crawler.text.bylines import clean_names, split_byline
from crawler.text.dates import ENGLISH_MONTH_PATTERN, ENGLISH_MONTHS, SHOWS_TIME_OF_DAY, WEEKDAYS
from crawler.text.furniture import is_furniture, is_headline
from crawler.text.words import count_words, words_in


@pytest.mark.parametrize("weekday", sorted({day for days in WEEKDAYS.values() for day in days}))
def test_both_byline_readers_drop_a_weekday_after_the_name(weekday: str) -> None:
    assert clean_names(f"By Jane Doe, {weekday.title()}") == ["Jane Doe"]
    assert split_byline(f"Jane Doe, {weekday.title()}") == ["Jane Doe"]


def test_both_byline_readers_drop_by_and_roles() -> None:
    byline = "By Jane Doe and John Roe, Staff Writers"
    assert clean_names(byline) == split_byline(byline) == ["Jane Doe", "John Roe"]


def test_every_english_month_name_is_read_in_text() -> None:
    assert all(re.fullmatch(ENGLISH_MONTH_PATTERN, name) for name in ENGLISH_MONTHS)
    assert ENGLISH_MONTHS["sept"] == 9 and ENGLISH_MONTHS["may"] == 5


@pytest.mark.parametrize(("text", "shows_time"), [
    ("June 5, 2024 at 3:15 pm", True), ("2025.05.15 오후 4시", True), ("06.01.2024", False), ("June 9", False),
])
def test_a_time_of_day_is_told_from_a_day(text: str, shows_time: bool) -> None:
    assert bool(SHOWS_TIME_OF_DAY.search(text)) is shows_time


@pytest.mark.parametrize(("line", "furniture"), [
    ("Lesen Sie auch: Die nächste Mission zum Mond", True), ("Like this:", True), ("Anzeige", True),
    ("Stand: 08.07.2026 05:00 Uhr", True), ("The newsletter went out to all members of the crew.", False),
])
def test_furniture_lines_are_told_from_text(line: str, furniture: bool) -> None:
    assert is_furniture(line) is furniture


@pytest.mark.parametrize("text, words", [
    ("长征五号火箭成功发射", 10),  # Chinese: a word per character
    ("H3ロケット打ち上げ", 9),  # Japanese: "H3" is one word, each kana and kanji another
    ("Falcon 9 lifts off", 4),
    ("", 0),
])
def test_words_are_counted_in_scripts_that_write_no_spaces(text: str, words: int) -> None:
    assert count_words(text) == words == words_in(text)


def test_a_chinese_sentence_is_no_headline_and_a_short_chinese_line_is_not_a_paragraph_of_words() -> None:
    sentence = "卫星将进行一系列在轨测试，预计在两个月后正式投入使用，为用户提供服务，并将支持偏远地区的网络接入。"
    assert not is_headline(sentence)  # it ends as a sentence, and is longer than a headline
    assert is_headline("嫦娥六号完成月球背面采样")

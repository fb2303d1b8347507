"""Counting words and telling sentences in every script.

Chinese and Japanese write no spaces between words: each of their characters counts as a word,
as word processors count them, and they end sentences with full-width marks ("。", "！", "？").
A limit written in words ("a prompt has at most 8 words") then holds for them too.
"""

from __future__ import annotations

import re

SPACELESS_SCRIPT = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{SPACELESS_SCRIPT}]|[^\W{SPACELESS_SCRIPT}]+")
SPACELESS_CHARACTER = re.compile(f"[{SPACELESS_SCRIPT}]")
SENTENCE_ENDS = (".", "!", "?", "。", "！", "？")
# Words beyond which a count need not be exact: no short-line limit reaches it.
EXACT_UP_TO = 40


def count_words(text: str | None) -> int:
    """Words in ``text``: runs of letters and digits, and each Chinese or Japanese character.
    The measure of body length every stage uses."""
    return len(WORD.findall(text or ""))


def words_in(line: str) -> int:
    """Words in a line, for limits that tell a prompt or a label from a sentence: str.split is
    ten times cheaper than counting, and exact for scripts that space their words."""
    spaced = len(line.split())
    if spaced <= EXACT_UP_TO and SPACELESS_CHARACTER.search(line):
        return count_words(line)
    return spaced

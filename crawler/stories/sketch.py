"""MinHash sketches of an article, and the LSH band keys the store finds similar articles by.

Two sketches, two questions:

- copy: the set of 5-word shingles of the body (a Chinese or Japanese character counts as a
  word). A republished copy shares nearly all of them, whatever its headline, credit line, markup
  or the paragraphs it cut: what it holds is contained in the original.
- story: the set of the article's terms, the names (capitalized or with digits, not opening a
  sentence) and longer words of headline and body. Two reports of one event share their names
  and many words, not their sentences. The entities of the knowledge gazetteer, when an article
  has them, join these terms (``entities``).

Band keys follow MinHash LSH: a signature is cut into bands of a few values, and two articles
whose signatures agree on a whole band are candidates. Each band becomes one 63-bit key stored
beside the article, so candidates are an indexed lookup of the new article's keys, whatever the
size of the store. The store keeps a story key with the article's day, so a lookup reads only
the days within the story window, not years of articles on the same subject.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property

import numpy as np
from datasketch import MinHash

from crawler.text.words import SENTENCE_ENDS, WORD

PERMUTATIONS = 64
SEED = 1
SHINGLE_WORDS = 5
# Values per LSH band (so PERMUTATIONS / BAND_ROWS = 32 bands a signature). Two values: articles
# sharing half their shingles are candidates 99.99 times in 100 (1 - (1 - 0.5^2)^32), those
# sharing a quarter of their terms 87 times in 100 (1 - (1 - 0.25^2)^32), those sharing a tenth 27
# times, told apart by the whole signature. Changing it changes every stored key: a new migration.
BAND_ROWS = 2
COPY, STORY = 0, 1  # the kinds of band key
# How much of a body each sketch reads (about 650 and 330 words of English).
COPY_CHARS, STORY_CHARS = 4000, 2000
# Story terms: words this long at least, and any name.
STORY_WORD_LETTERS = 5
_TRIM = ".,;:!?\"'()[]{}“”‘’«»„‚*…"  # around a word in text split on spaces
_MASK32 = np.uint64(0xFFFFFFFF)
_SHINGLE_MIX = np.uint64(0x9E3779B1)


@dataclass(frozen=True)
class Sketch:
    copy: bytes  # PERMUTATIONS uint32 MinHash values of the body's shingles
    story: bytes  # the same of its terms
    shingles: int  # distinct shingles of the body: containment from the Jaccard estimate

    @cached_property
    def copy_keys(self) -> list[int]:
        return band_keys(self.copy, COPY)

    @cached_property
    def story_keys(self) -> list[int]:
        return band_keys(self.story, STORY)


@cache
def _template() -> MinHash:
    # Permutations are drawn once per process; each sketch copies them (new ones cost ~0.1 ms).
    return MinHash(num_perm=PERMUTATIONS, seed=SEED, hashfunc=int)


def _minhash(hashes: np.ndarray) -> bytes:
    template = _template()
    sketch = MinHash(PERMUTATIONS, SEED, hashfunc=int, permutations=template.permutations, scheme=template.scheme)
    sketch.update_batch(hashes.tolist())
    return sketch.hashvalues.astype("<u4").tobytes()


def _hash32(texts: list[str]) -> np.ndarray:
    # crc32: the same in every process (Python's hash() is not); MinHash mixes it before permuting.
    codes = {text: zlib.crc32(text.encode("utf-8")) for text in set(texts)}
    return np.fromiter((codes[text] for text in texts), dtype=np.uint64, count=len(texts))


def shingle_hashes(words: list[str]) -> np.ndarray:
    """A 32-bit hash of each distinct run of SHINGLE_WORDS words, from the words' own hashes."""
    hashes = _hash32(words)
    if len(hashes) < SHINGLE_WORDS:
        return np.unique(hashes)
    combined = np.zeros(len(hashes) - SHINGLE_WORDS + 1, dtype=np.uint64)
    for offset in range(SHINGLE_WORDS):
        combined = ((combined * _SHINGLE_MIX) + hashes[offset:len(combined) + offset]) & _MASK32
    return np.unique(combined)


def story_terms(title: str, lead: str, lead_words: list[str], entities: tuple[str, ...] = ()) -> set[str]:
    """Names (words with a capital or a digit that do not open a sentence) of the headline and
    lead, and the longer of ``lead_words`` (the lead's words, casefolded). Scripts without
    capitals (Chinese, Japanese) give their words only."""
    terms = {word for word in lead_words if len(word) >= STORY_WORD_LETTERS}
    terms.update(f"entity:{entity}" for entity in entities)
    for text in (title, lead):
        opens = True
        for token in text.split():
            word = token.strip(_TRIM)
            if word and not opens and (word[0].isupper() or word[0].isdigit()):
                terms.add(word.casefold())
            opens = token.endswith(SENTENCE_ENDS)
    return terms


def sketch(title: str | None, body: str | None, entities: tuple[str, ...] = ()) -> Sketch:
    """The article's sketches, from the first COPY_CHARS of its body (a copy keeps the start of
    what it copies) and its headline and first STORY_CHARS (the event is told first): the cost
    of an article is bounded, however long."""
    body = body or ""
    words = WORD.findall(body[:COPY_CHARS].casefold())
    lead = body[:STORY_CHARS]
    terms = story_terms(title or "", lead, words[:len(words) * STORY_CHARS // COPY_CHARS], entities)
    shingles = shingle_hashes(words)
    return Sketch(_minhash(shingles), _minhash(_hash32(sorted(terms))), len(shingles))


def _mixed(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: every bit of the result depends on every bit of the value."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def band_keys(signature: bytes, kind: int) -> list[int]:
    """One signed 63-bit key (a BIGINT on both databases) per band of BAND_ROWS values. Two keys
    are equal when their bands, their place in the signature and their kind (COPY, STORY) are,
    and by chance about once in 2^63 otherwise: a candidate that the signatures then reject."""
    values = np.frombuffer(signature, "<u4").astype(np.uint64).reshape(-1, BAND_ROWS)
    combined = _mixed(np.arange(len(values), dtype=np.uint64) + np.uint64(kind * len(values)))
    for column in range(BAND_ROWS):
        combined = _mixed(combined ^ values[:, column])
    return (combined >> np.uint64(1)).astype(np.int64).tolist()


def jaccard(a: bytes, b: bytes) -> float:
    """The Jaccard similarity of the two sets, estimated from their signatures. (Counting the equal
    values costs a third of what np.mean does: linking asks this of every candidate.)"""
    return int(np.count_nonzero(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4"))) / (len(a) // 4)


def contained(new: Sketch, old: Sketch) -> float:
    """The share of ``new``'s shingles that ``old`` has too: |A∩B| = J (|A| + |B|) / (1 + J)."""
    similarity = jaccard(new.copy, old.copy)
    if not new.shingles:
        return 0.0
    return min(1.0, similarity * (new.shingles + old.shingles) / (1 + similarity) / new.shingles)


def story_day(moment: datetime) -> int:
    """The day number story keys carry (days since 1970, UTC)."""
    return int(moment.timestamp() // 86400)

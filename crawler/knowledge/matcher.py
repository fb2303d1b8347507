"""Finding the gazetteer's entities in text: one Aho-Corasick pass for names, one for space words.

A name counts where it stands as a word of its own: the characters beside it are no letters or
digits, except that names in Chinese or Japanese script (written without spaces) count anywhere,
and a Latin name counts beside such script ("NASAが"). Where names overlap, the longest wins
("Crew Dragon" over "Dragon", "Falcon Heavy" over "Falcon"), and names that are no space entity
(``not_entities`` in ``data/context.toml``: "Apollo Global Management", "Freddie Mercury") cover
the names inside them.

Ambiguous names (a bare "Apollo", "Orion", "Dragon": see ``context`` in the data files) count only
in a space context: a space word (``data/context.toml``: rocket, orbit, ракета, ロケット…) or an
unambiguous agency, vehicle, spacecraft, mission or launch site within ``CONTEXT_CHARS`` of the
mention. So "Apollo Global Management" in business news or a "Dragon" in a film review stays out,
while "Dragon docked with the station" counts.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick

from crawler.knowledge.gazetteer import Entity, Gazetteer, shipped_gazetteer
from crawler.text.words import SPACELESS_CHARACTER

# How near a space word or an unambiguous entity must stand to an ambiguous name: about a
# paragraph's sentence or two either side.
CONTEXT_CHARS = 250
# Kinds whose unambiguous mention makes a passage about space (people and companies also make
# news elsewhere: "Musk" and "Boeing" say nothing of a nearby "Falcon").
ANCHOR_KINDS = frozenset({"agency", "vehicle", "spacecraft", "mission", "place"})
# Letters an ``inflected`` name may take, in lower case: Russian cases (Роскосмоса), German
# genitive (NASAs); "ESAB", another company, stays out.
MAX_ENDING = 3


@dataclass(frozen=True)
class Name:
    entity: Entity
    needs_context: bool
    inflected: bool
    spaceless: bool  # written in a script without spaces: no word boundary to check


def is_word_character(character: str) -> bool:
    return character.isalnum() and not SPACELESS_CHARACTER.match(character)


class Matcher:
    def __init__(self, known: Gazetteer) -> None:
        names: dict[str, list[Name]] = {}
        for entity in known.entities.values():
            for name in entity.names:
                found = Name(entity, name in entity.context, name in entity.inflected,
                             bool(SPACELESS_CHARACTER.search(name)))
                for written in {name, name.upper()}:  # as written, and in a headline's capitals
                    names.setdefault(written, []).append(found)
        self.names = ahocorasick.Automaton()
        for phrase in known.not_entities:  # matched like names, so they cover the names inside them
            names.setdefault(phrase, [])
        for written, found in names.items():
            self.names.add_word(written, (len(written), tuple(found)))
        self.names.make_automaton()
        self.context = ahocorasick.Automaton()
        for word in known.context_words:
            self.context.add_word(word.lower(), len(word))
        self.context.make_automaton()

    def _mentions(self, text: str) -> Iterator[tuple[int, int, tuple[Name, ...]]]:
        """(start, end, names) of every name standing as a word, overlaps included."""
        for last, (length, found) in self.names.iter(text):
            start, end = last + 1 - length, last + 1
            spaceless = bool(found) and found[0].spaceless
            if not spaceless and start > 0 and is_word_character(text[start - 1]):
                continue
            if found and found[0].inflected:
                ending = end
                while (ending < len(text) and ending - end < MAX_ENDING and text[ending].islower()
                       and is_word_character(text[ending])):
                    ending += 1
                end = ending
            if not spaceless and end < len(text) and is_word_character(text[end]):
                continue
            yield start, end, found

    def _space_words(self, text: str) -> list[int]:
        """Where space words start (a word may go on: "rocket" finds "rockets"), in order."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): keep positions
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        return sorted(last + 1 - length for last, length in self.context.iter(lowered)
                      if SPACELESS_CHARACTER.match(lowered[last]) or last + 1 == length
                      or not is_word_character(lowered[last - length]))

    def tag(self, text: str) -> list[dict[str, str]]:
        """The entities ``text`` mentions, as {"name", "kind", "id"}, in order of first mention."""
        taken = bytearray(len(text))
        kept: list[tuple[int, int, tuple[Name, ...]]] = []
        for start, end, found in sorted(self._mentions(text), key=lambda m: (m[0] - m[1], m[0])):
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                kept.append((start, end, found))
        kept.sort(key=lambda mention: mention[0])
        anchors = [start for start, _, found in kept
                   if any(not n.needs_context and n.entity.kind in ANCHOR_KINDS for n in found)]
        ambiguous = [mention for mention in kept if any(n.needs_context for n in mention[2])]
        if ambiguous:
            anchors = sorted(anchors + self._space_words(text))
        entities: dict[str, Entity] = {}
        for start, _, found in kept:
            for name in found:
                if name.needs_context and not _near(anchors, start):
                    continue
                entities.setdefault(name.entity.id, name.entity)
        return [entity.record() for entity in entities.values()]


def _near(positions: list[int], at: int) -> bool:
    index = bisect.bisect_left(positions, at - CONTEXT_CHARS)
    return index < len(positions) and positions[index] <= at + CONTEXT_CHARS


@cache
def matcher() -> Matcher:
    return Matcher(shipped_gazetteer())


def tag_text(*parts: Any) -> list[dict[str, str]]:
    """The entities the texts (title, summary, body…; None skipped) mention, in order of first mention."""
    return matcher().tag("\n\n".join(part for part in parts if part))

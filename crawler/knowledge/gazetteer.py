"""The gazetteer: what the data files in ``data/`` say, read once per process.

Each file holds one kind (its name without ``.toml``, in the singular: ``agencies.toml`` holds
kind "agency"). An entry is a table named by the entity's stable id:

    [falcon-9]
    name = "Falcon 9"                          # the English name shown in records
    aliases = ["Falcon-9", "Фалкон-9", "ファルコン9"]   # other names, any language
    context = ["Falcon"]                       # names that count only in a space context
    inflected = ["Роскосмос"]                  # names a language may extend with an ending

A name counts as a separate word (CJK names, written without spaces, count anywhere). A name of
one word is matched as written (so "Electron" is not "electron"); a longer one in any case.
``inflected`` names may carry up to three more lower-case letters ("Роскосмоса", "NASAs"). ``context``
names (a bare "Apollo", "Dragon", "Orion") count only where space words or another entity
stand near them (``matcher.py``); ``context.toml`` lists those words, and names that hold an
entity's name but are something else ("Apollo Global Management").
"""

from __future__ import annotations

import pkgutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KINDS = ("agency", "company", "vehicle", "spacecraft", "mission", "person", "place")
FILES = {"agency": "agencies", "company": "companies", "vehicle": "vehicles", "spacecraft": "spacecraft",
         "mission": "missions", "person": "people", "place": "places"}
ENTRY_KEYS = {"name", "aliases", "context", "inflected"}


class GazetteerError(ValueError):
    """A data file that does not read as a gazetteer; ``str()`` names the file and entry."""


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str
    name: str
    names: tuple[str, ...]  # name and aliases
    context: frozenset[str]  # names that need a space context
    inflected: frozenset[str]  # names that may take an ending

    def record(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "id": self.id}


@dataclass(frozen=True)
class Gazetteer:
    entities: dict[str, Entity]  # by id
    context_words: tuple[str, ...]  # words that make a passage about space
    not_entities: tuple[str, ...] = ()  # names that hold an entity's name but are something else

    def ids_named(self, text: str) -> set[str]:
        """Ids of the entities whose id, name or any alias is ``text``, ignoring case."""
        wanted = " ".join(text.split()).casefold()
        return {entity.id for entity in self.entities.values()
                if wanted == entity.id or any(wanted == name.casefold() for name in entity.names)}

    def closest(self, text: str) -> str | None:
        """The name closest to a misspelt ``text``, for a hint."""
        from difflib import get_close_matches

        names = [name for entity in self.entities.values() for name in entity.names]
        found = get_close_matches(text, names, n=1, cutoff=0.75)
        return found[0] if found else None


def _entry(file_name: str, kind: str, entity_id: str, entry: object) -> Entity:
    where = f"{file_name} [{entity_id}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise GazetteerError(f"{where}: an entry needs name = \"…\"")
    if unknown := set(entry) - ENTRY_KEYS:
        raise GazetteerError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(ENTRY_KEYS))})")
    lists = {key: entry.get(key, []) for key in ("aliases", "context", "inflected")}
    for key, value in lists.items():
        if not (isinstance(value, list) and all(isinstance(name, str) and name.strip() for name in value)):
            raise GazetteerError(f"{where}: {key} must be a list of names")
    names = tuple(dict.fromkeys([entry["name"], *lists["aliases"]]))
    if stray := (set(lists["context"]) | set(lists["inflected"])) - set(names):
        raise GazetteerError(f"{where}: {sorted(stray)[0]!r} is in context/inflected but not a name or alias")
    return Entity(entity_id, kind, entry["name"], names, frozenset(lists["context"]), frozenset(lists["inflected"]))


DATA_FILES = (*(f"{FILES[kind]}.toml" for kind in KINDS), "context.toml")


def data_file(name: str) -> str:
    """A data file shipped in ``crawler/knowledge/data``, read through the package's loader, so
    it is found inside a Scrapyd egg too."""
    data = pkgutil.get_data(__package__, f"data/{name}")
    if data is None:
        raise GazetteerError(f"crawler/knowledge/data/{name}: not found")
    return data.decode("utf-8")


def load(folder: Path | None = None) -> Gazetteer:
    """The gazetteer in ``folder`` (default: the one shipped); GazetteerError for a file or entry
    that does not read."""
    read: Callable[[str], str] = data_file if folder is None else (
        lambda name: (folder / name).read_text(encoding="utf-8"))
    tables = {}
    for name in DATA_FILES:
        try:
            tables[name] = tomllib.loads(read(name))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise GazetteerError(f"{name}: {error}") from None
    entities: dict[str, Entity] = {}
    for kind in KINDS:
        name = f"{FILES[kind]}.toml"
        for entity_id, entry in tables[name].items():
            if entity_id in entities:
                raise GazetteerError(f"{name} [{entity_id}]: the id is taken by a {entities[entity_id].kind}")
            entities[entity_id] = _entry(name, kind, entity_id, entry)
    context = tables["context.toml"]
    return Gazetteer(entities, tuple(context["words"]), tuple(context.get("not_entities", ())))


@cache
def shipped_gazetteer() -> Gazetteer:
    """The gazetteer shipped in ``crawler/knowledge/data``."""
    return load()

"""The byline grammar: how a byline names its writers, and what in it names no one.

Bylines come dressed ("By Jane Doe and John Roe, Staff Writers", "Von Jane Doe | Reuters");
names come out bare. ``clean_names`` reads a byline as a page shows it, for extraction;
``split_byline`` splits one an item already carries, for the normalize stage, which trusts the
names it is given more. Both take their words from the lists here.
"""

from __future__ import annotations

import re

from crawler.text.dates import WEEKDAY_PATTERN, WEEKDAYS

# "By" in the languages of the news the crawler reads, as a byline's first word.
BY_WORDS = ("by", "von", "par", "por", "di", "door", "av", "przez")
# Further openings of a byline on a page: phrases, labels, and short words that the normalize
# stage leaves at the start of a name it is given.
_PAGE_BY_WORDS = (r"written\s+by", r"reported\s+by", r"posted\s+by", "vom", "da", "af", "od", r"autor(?:in)?",
                  "author", "auteur", "text", "texto", "redakcja", "kirjoittaja", "yazar", "от", "автор")
BY = re.compile(rf"^\s*(?:{'|'.join(_PAGE_BY_WORDS + BY_WORDS)})\b[\s:]*", re.IGNORECASE)
# A Twitter card label ("twitter:label1") that says its value is the writer.
WRITTEN_BY_LABEL = re.compile(r"^(?:written by|author|autor|von|par|por|by)$", re.IGNORECASE)
# A byline line naming the editor, not the writer.
EDITOR_LABEL = re.compile(r"^\s*(?:editor|edited by|editado por|editora?|redaktur|redaktion|bearbeitet von|"
                          r"édité par|a cura di)\s*:?\s+(?P<name>.{2,60})$", re.IGNORECASE)
# The word between a byline's names and its date ("on", "am", "le" ...), perhaps with the weekday
# ("on Monday, March 3"); in lower case, as particles that end names are written ("Thanh Le",
# "van den Berg"), "On" aside.
DATE_LEAD_IN = re.compile(rf"\s+(?:[Oo]n|am|le|el|il|em|op|den)(?:\s+(?i:{WEEKDAY_PATTERN}),?)?\s*$")

# Job titles that follow a name in a byline or a bio: what every role list here holds.
_JOB_TITLES = ("writer", "editor", "reporter", "correspondent", "contributor", "columnist", "journalist")
# Words that make a piece of a page's byline a role, a place or a reading time, not a name.
_ROLE_WORDS = re.compile(
    rf"\b(?:{'|'.join(_JOB_TITLES)}|staff|photographer|redakt\w*|korrespondent\w*|autor\w*|news\s+desk|"
    r"updated|published|senior|chief|editorial|team|minutes?|read|min)\b",
    re.IGNORECASE,
)
# A part of a given byline naming a job, not a person ("Senior Editor", "Space.com contributor").
ROLE = re.compile(
    rf"\b(?:{'|'.join(_JOB_TITLES)}|staff|photographer|contributing|producer|intern|redakteur(?:in)?|"
    r"korrespondent(?:in)?|journaliste|rédact(?:eur|rice)|correspondant|periodista|redactor(?:a)?|corresponsal)\b",
    re.IGNORECASE,
)
# What a closing bio says its subject is ("... is a freelance writer who ...").
BIO_ROLE = re.compile(rf"\b(?:{'|'.join(_JOB_TITLES)}|author|freelance)\b", re.IGNORECASE)

# Words that stand in a byline after the names but name no one: degrees and suffixes ("Jane Doe,
# MS, RD", "John Roe, Jr."), and the weekday of the date set after the byline ("Jane Doe, Monday,
# March 4, 2024"). Compared case folded, without dots and spaces ("Ph. D.").
BYLINE_EXTRAS = frozenset({
    "md", "phd", "ms", "msc", "ma", "mba", "mph", "rd", "rdn", "ld", "ldn", "rn", "np", "dds", "dmd", "dvm", "jd",
    "esq", "cpa", "cfa", "cfp", "pharmd", "psyd", "lcsw", "bsc", "cscs", "cde", "facs", "facp", "faap",
    "jr", "sr", "ii", "iii", "iv",
    *(day for days in WEEKDAYS.values() for day in days),
})


def is_byline_extra(piece: str) -> bool:
    """Whether a piece of a byline that follows a name is a degree, a suffix or a weekday
    (BYLINE_EXTRAS), not another name."""
    return "".join(piece.replace(".", "").split()).casefold() in BYLINE_EXTRAS


# ---- a page's byline -------------------------------------------------------------------------
# Single-letter conjunctions ("y", "e", "i") count in lower case only: "Bruce Y. Lee" has a middle
# initial. A byline in capitals writes them in capitals, without the dot an initial has.
_SEPARATORS = re.compile(r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\bog\b|\ben\b|\boch\b|(?-i:\b[yei]\b))\s*",
                         re.IGNORECASE)
_CAPITAL_CONJUNCTION = re.compile(r"\s+[YEI](?=\s)")
# "Jane Doe with AP", "Jane Doe with John Roe": what follows "with" (in lower case only: "Con"
# begins names) names agencies, or co-writers by full name. German capitalizes its nouns, so after
# "mit" only an agency is believed ("Redakteurin mit Schwerpunkt Politik" is a role).
_WITH = re.compile(r"\s+(with|mit|avec|con|com|met)\s+")
_DIGIT_OR_AT = re.compile(r"[\d@]|https?:|www\.")
# "(Staff writer)", "(Enviado especial)": a role in brackets after the name.
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
# A photo or image credit in a byline-like element ("Foto: REUTERS/Jane Doe") names the
# photographers, up to the element's end.
_CREDIT_LABEL = re.compile(r"(?:^|(?<=[\s,;|/(]))(?:foto|photo|photograph|bild|image|imagen|picture|video|grafik|"
                           r"illustration)s?\s*:", re.IGNORECASE)
# Link labels that sit in bylines beside the name.
_NOT_NAMES = frozenset({"twitter", "x", "facebook", "instagram", "linkedin", "email", "e-mail", "mail", "rss",
                        "threads", "bluesky", "mastodon", "whatsapp", "youtube", "tiktok", "follow"})
# What came from an agency, said after "with": "mit Material von dpa", "con información de EFE",
# "with reporting from Reuters": the agency is named, the words before it are no name.
_MATERIAL_FROM = re.compile(r"^(?:material|informationen|informaci[oó]n|informa[cç](?:ão|ões)|"
                            r"(?:additional\s+)?reporting)\s+(?:von|der|de|del|da|do|from)\s+", re.IGNORECASE)
# Agencies in general, not one by name: "con agencias", "mit Material der Nachrichtenagenturen".
_AGENCIES_IN_GENERAL = re.compile(r"^(?:agencias|agências|agencies|agences|agenzie|agenturen|nachrichtenagenturen|"
                                  r"wires|wire services)$", re.IGNORECASE)
# News agencies that write their own name in lower case ("dpa"), co-signing a byline.
_LOWER_CASE_AGENCIES = frozenset({"dpa", "epd", "dts", "afp"})
# "Reporter", "correspondent" after a name in scripts that set titles after names: "신현주 기자",
# "山田太郎記者". A byline that has them names only the people they follow ("순천, 광양 구현모 기자": places first).
# (A name is some tens of characters: bounded, the search is linear in a long unspaced string, not
# quadratic — minutes for a meta author of 80 KB.)
_CJK_SIGNED = re.compile(r"([^\s,·/|]{1,40}?)\s*(?:선임기자|수습기자|기자|특파원|記者|记者|特派員|特派员|編集委員|通信員)(?![^\s,·/|])")
_EMAIL = re.compile(r"[^\s@]{1,64}@\S+")  # (an address's local part is at most 64 characters)
# "MND Staff", "Guardian staff reporter": a publication's desk signs, with no person named.
_DESK = re.compile(r"^(?P<desk>[^\W\d_].{0,40}?)\s+staff(?:\s+(?:reporter|writer)s?)?$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_NAME_PARTICLES = frozenset({"de", "da", "di", "do", "dos", "del", "della", "van", "von", "der", "den", "la", "le",
                             "du", "bin", "al", "el", "y", "zu", "ter"})
_PARTICLE_PREFIX = re.compile(r"[-'’]")


def _starts_lower_case(words: list[str]) -> bool:
    """A name's first word has a capital unless it is a particle ("van Gogh", "al-Sayed"): "ku
    Frankfurt" is an agency's short code for the writer, then the place."""
    return words[0][:1].islower() and _PARTICLE_PREFIX.split(words[0])[0] not in _NAME_PARTICLES


def clean_names(raw: str) -> list[str]:
    """Person names in a byline text, in order, without "By", roles or dates."""
    text = " ".join(raw.split())
    credit = _CREDIT_LABEL.search(text)
    text, *with_parts = _WITH.split(BY.sub("", text[:credit.start()] if credit else text))
    agencies = [name for word, part in zip(with_parts[::2], with_parts[1::2]) for name in _names_after_with(word, part)]
    signed = _CJK_SIGNED.findall(_EMAIL.sub(" ", text))
    if signed:
        return signed
    desk = _DESK.match(text.strip(" .:-–—·•"))
    if desk and desk["desk"][:1].isupper() and not _ROLE_WORDS.search(desk["desk"]) \
            and not _SEPARATORS.search(desk["desk"]):
        return [desk.group(), *agencies]  # the whole byline: "By Jane Doe, Times Staff Writer" names Jane Doe
    if text.isupper():
        text = _CAPITAL_CONJUNCTION.sub(",", text)
    names: list[str] = []
    for name in map(_name_of, _SEPARATORS.split(text)):
        if name and not (names and is_byline_extra(name)):
            names.append(name)
    return names + agencies


def _name_of(piece: str) -> str | None:
    """The name a piece of a byline gives, bare, or None: a label, a role, a link's word, a date."""
    if piece.rstrip().endswith(":"):
        return None  # a label ("Stand:", "Updated:"), not a name
    piece = _PARENTHESIS.sub("", BY.sub("", piece)).strip(" .:-–—·•")
    words = piece.split()
    if not _LETTER.search(piece) or len(words) > 5 or len(piece) > 60 or _DIGIT_OR_AT.search(piece) \
            or piece.casefold() in _NOT_NAMES:
        return None
    if piece.casefold() in _LOWER_CASE_AGENCIES:
        return piece
    # A name has a capital, unless its script has no case (Korean, Japanese, Arabic ...).
    return None if _ROLE_WORDS.search(piece) or _starts_lower_case(words) else piece


_AFTER_THE_NAMES = re.compile(r"\s*[|·•]\s*")


def _names_after_with(word: str, text: str) -> list[str]:
    """The agencies named after "with" (and what came from them: "Material von dpa und AFP"), or
    co-writers by full name, except after German "mit"."""
    text = _AFTER_THE_NAMES.split(text, maxsplit=1)[0]  # "with AP | Politics": a section follows
    pieces = _SEPARATORS.split(_MATERIAL_FROM.sub("", text.strip(" .,;:()")))
    names = [_name_of(piece.strip(" .,;:()")) for piece in pieces]
    # One word is an agency ("AP", "Reuters", "dpa"); more must be a person's full name.
    return [name for name in names if name and not _AGENCIES_IN_GENERAL.match(name)
            and (len(name.split()) == 1 or (word != "mit" and is_full_name(name)))]


def fits_a_name(text: str) -> bool:
    """Short enough, and free of digits, "@" and links, to be a name that a page declares."""
    return len(text) <= 60 and len(text.split()) <= 6 and not _DIGIT_OR_AT.search(text)


def is_full_name(text: str) -> bool:
    """A name of two words or more: one capitalized word alone may be a heading or a section."""
    return looks_like_a_name(text) and len(text.split()) > 1


def looks_like_a_name(text: str) -> bool:
    """Capitalized words (particles aside), or a script without case: "Jane van Doe", "김지수";
    not "der Leyen will ..." left from a sentence that begins with "Von"."""
    words = text.split()
    return len(words) <= 4 and not words[0][:1].islower() and all(
        not w[:1].islower() or w in _NAME_PARTICLES for w in words)


# ---- a byline an item carries ----------------------------------------------------------------
BYLINE_PREFIX = re.compile(rf"^(?:{'|'.join(BY_WORDS)})\b\s*:?\s*", re.IGNORECASE)
# Single-letter conjunctions are matched lower-case only, so a middle initial ("John E Smith") stays.
# A comma may come before the conjunction ("Jane Doe, and John Roe").
NAME_SEPARATOR = re.compile(r"\s*[,;|/]\s*(?:(?:[Aa]nd|AND|&|und|et|y|e|i)\s+)?|\s+(?:[Aa]nd|AND|&|und|et|y|e|i)\s+")
NOT_A_NAME = re.compile(r"@|://|\d")  # handles, e-mail addresses, links, dates


def split_byline(byline: str) -> list[str]:
    """The person names in one byline string: prefix, roles, handles and links removed."""
    parts = [p for p in NAME_SEPARATOR.split(BYLINE_PREFIX.sub("", byline)) if p]
    if len(parts) == 2 and all(" " not in p for p in parts) and "," in byline:
        return [BYLINE_PREFIX.sub("", byline)]  # "Doe, Jane": one name, surname first
    names = []
    for position, part in enumerate(parts):
        part = BYLINE_PREFIX.sub("", part).strip(" .:-–—")
        # A role, degree or weekday after a name describes that name or its date; a byline that is
        # only a role ("NASA Staff") stays.
        if not part or NOT_A_NAME.search(part) or (position and (ROLE.search(part) or is_byline_extra(part))):
            continue
        names.append(part)
    return names

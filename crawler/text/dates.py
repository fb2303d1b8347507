"""Date vocabulary: month and weekday names in the languages the crawler reads, how a text shows a
time of day, and the labels that mark a date as a revision's."""

from __future__ import annotations

import re

# English month names and their abbreviations, as pages print them ("Sept. 5", "5 June").
ENGLISH_MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"), start=1)
    for name in names.split()}
# The same as a regex alternation, longer names first.
ENGLISH_MONTH_PATTERN = "|".join(sorted(ENGLISH_MONTHS, key=len, reverse=True))
# Month names of the other languages the crawler reads, for "3. März 2024", "3 de marzo de 2024".
OTHER_MONTH_PATTERN = (r"januar|februar|märz|maerz|mai|juni|juli|oktober|dezember|janvier|février|fevrier|mars|"
                       r"avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|"
                       r"marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
                       r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|"
                       r"março|maio|junho|julho|setembro|outubro|dezembro|januari|februari|maart|mei|augustus")

# Weekday names, written out, by language (Danish and Norwegian share theirs).
WEEKDAYS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "pt": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "pl": ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
}
# The first three letters of the English weekdays, which begin every form of them ("Wed.", "Weds").
ENGLISH_WEEKDAY_STEMS = "mon|tue|wed|thu|fri|sat|sun"
# A weekday as a byline's date begins ("on Monday", "am Montag", "Tues."): English in its short
# forms, Portuguese without "-feira".
WEEKDAY_PATTERN = "|".join(dict.fromkeys((
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?",
    *WEEKDAYS["de"], *WEEKDAYS["fr"], *WEEKDAYS["es"], *(day.split("-")[0] for day in WEEKDAYS["pt"]),
    *WEEKDAYS["nl"],
)))

# Korean and Japanese for "a.m." and "p.m.", written before the clock ("오후 3:15").
HALF_OF_DAY = "오전|오후|午前|午後"
# A time of day in a date's text: "16:33", "16.33 Uhr" (not the "06.01" of "06.01.2024"), "4 pm",
# "à 15h", "오후 4시", "01時28分", an ISO "T00:00", a compact "202505151633". parse_dates checks a
# parse at midnight against it: midnight shown is a time, midnight by default is a day.
SHOWS_TIME_OF_DAY = re.compile(r"\d\s*[:h時时시]\s*\d\d|(?<![\d.])\d{1,2}\.\d\d(?![.\d])|\d\s*(?:[ap]\.?m|h)\b|\d\s*[時时시]|"
                               rf"{HALF_OF_DAY}|\b(?:noon|midnight)\b|(?<!\d)\d{{12,14}}(?!\d)", re.IGNORECASE)

# A label saying the date after it is a revision's: "Updated", "Aktualisiert", "수정" ...
UPDATED_LABEL = re.compile(r"(?:updated|modified|aktualisiert|geändert|aktualizacja|zaktualizowano|mis à jour|"
                           r"actualizad[oa]|aggiornat[oa]|atualizad[oa]|bijgewerkt|güncellen\w*|수정|更新)",
                           re.IGNORECASE)
# A word after a date that no parser reads with it and that says nothing of its time, which
# parse_dates cuts before trying again: "December 16, 2024, 12:30 Uhr" (an English month and a
# German clock word), "… GMT | Updated", a reading time ("— 2 min read").
# Only these: cutting other words may cut a zone ("10:15 a.m. Eastern") or leave a count that
# reads as a day ("March 2024 | 12 comments").
TRAILING_LABEL = re.compile(r"[\s,;|·•–—(-]*(?:\b(?:uhr|(?:last\s+)?updated|aktualisiert|modified|edited|geändert)\.?|"
                            r"\b\d{1,2}\s*min(?:ute)?s?\.?\s+(?:read|lesezeit))\)?$", re.IGNORECASE)
# Labels set before a date on English pages: "Published June 5, 2024", "Updated: ...".
ENGLISH_DATE_LABELS = "published|posted|updated|last updated|on"

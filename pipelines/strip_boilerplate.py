"""Strip boilerplate: page furniture that DOM extraction let through into the body text.

Works on lines and paragraphs of the normalized body. A comment section cuts the body from its
first marker on; a line that is itself a prompt (share, follow, newsletter, related links,
photo credit, advertisement label) is removed; a closing author bio, or a closing paragraph asking
to follow its writer, is removed. Real sentences stay: a marker counts only at the start of a short
line, so an article *about* a newsletter keeps its text. Sets ``word_count``; a body left without words is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.text.bylines import BIO_ROLE
from pipelines import drop
from pipelines.validate import count_words

# ---- the phrase lists: every marker this stage knows, matched case-insensitively at line start ----
# A comment section or comment form begins: the rest of the body is comments.
COMMENT_SECTION_STARTS = (
    r"leave a (?:reply|comment|response)", r"post (?:a |your )?comment", r"add (?:a|your) comment",
    r"\d+ (?:thoughts?|responses?|replies) (?:on|to)\b", r"your email address will not be published",
    r"required fields are marked", r"cancel reply", r"save my name,? email,? and website",
    r"comments (?:on this (?:entry|post|article|story) )?are (?:now )?closed",
    r"you must be logged in to post a comment", r"notify me of (?:follow-up|new)",
    r"join the (?:discussion|conversation)",
    # de
    r"(?:schreibe|hinterlasse|hinterlassen sie) (?:einen kommentar|eine antwort)",
    r"(?:deine|ihre) e-?mail-?adresse wird nicht veröffentlicht", r"erforderliche felder sind",
    r"kommentar abschicken", r"antworten abbrechen",
    # fr
    r"laisser un commentaire", r"laisser une réponse", r"annuler la réponse",
    r"votre adresse (?:e-?mail|de messagerie|courriel) ne sera pas publiée",
    r"les champs obligatoires sont indiqués",
    # es
    r"deja (?:una respuesta|un comentario)", r"cancelar respuesta", r"publicar comentario",
    r"(?:tu|su) (?:dirección de )?correo electrónico no será publicad[oa]",
    r"los campos obligatorios están marcados",
    # it, pt
    r"lascia un commento", r"il tuo indirizzo email non sarà pubblicato", r"deixe um comentário",
    r"o seu endereço de e-?mail não será publicado",
)
# Also a closing section, but these words can sit in a byline near the top ("12 comments"), so
# there they are only removed, and cut the body only after the opening paragraphs.
LATE_SECTION_STARTS = (
    r"[{(\[]? ?\d+ (?:comments?|kommentare?|commentaires?|comentarios?|commenti) ?[})\]]?$", r"recent comments$",
    r"(?:comments?|kommentare|commentaires|comentarios)(?: \(\d+\))?:?$", r"about the author",
    r"über (?:den|die) autor(?:in)?", r"à propos de l'auteur", r"sobre el autor",
)
# Headings of a list of links: the heading and the headline-like lines after it go.
LINK_LIST_HEADINGS = (
    r"related(?: articles| stories| posts| content| coverage| reading| news)?", r"read (?:more|also|next)",
    r"see also", r"also see", r"explore further", r"additional resources", r"more from [^:]{1,40}",
    r"recommended(?: for you| stories)?", r"you (?:may|might) also like",
    r"more (?:news|stories|on this)", r"most (?:popular|read|viewed|shared)", r"trending now",
    r"meistgelesen", r"les plus lus", r"lo más leído", r"lesen sie auch", r"mehr zum thema", r"auch interessant",
    r"weitere artikel", r"das könnte sie auch interessieren",
    r"(?:à )?lire aussi", r"sur le même sujet", r"(?:lee|lea) también", r"te puede interesar",
    r"(?:noticias )?relacionadas", r"leggi anche", r"potrebbe interessarti", r"leia (?:também|mais)",
    r"veja também", r"czytaj (?:też|także|więcej)", r"читайте также", r"[【\[]?関連(?:記事|ニュース)[】\]]?",
    r"관련\s?기사", r"相关(?:阅读|新闻|文章)", r"相關(?:閱讀|新聞|文章)",
)
# A short line starting with one of these is a prompt, not text.
PROMPTS = (
    # sharing and following
    r"share (?:this(?: article| story| post| page)?|(?:it |this )?(?:on|via|with) [\w.]+(?: (?:and|or) [\w.]+)?|"
    r"the (?:article|story))\W*$", r"share:", r"click to (?:share|email|print)",
    r"like this:", r"like loading", r"(?:follow|find) us\b", r"follow .{1,40} on (?:twitter|x|facebook|instagram|"
    r"linkedin|threads|bluesky|mastodon|youtube)\b", r"teilen:", r"partager\b", r"compartir\b",
    # newsletters and subscriptions
    r"sign up for\b.{0,60}\bnewsletter", r"subscribe to (?:our|the)\b", r"subscribe (?:now|today)\b",
    r"(?:get|receive)\b.{0,60}\bnewsletter", r"newsletter sign[- ]?up", r"join our (?:mailing list|newsletter)",
    r"(?:abonnieren sie|melden sie sich)\b.{0,40}\bnewsletter", r"inscrivez-vous\b.{0,40}\bnewsletter",
    r"suscríbete\b",
    # link leftovers
    r"(?:read|continue reading|see) (?:the )?(?:full|original|more)\b.{0,40}$", r"continue reading\b",
    # a pointer to the site's coverage, ending in its address: "Follow our coverage at https://…"
    r"(?:follow\b|more [^:]{1,40}:).{0,80}https?://\S+$",
    # a wire story's credit line: "Reporting by …; Editing by …", "With reports from …", "mit dpa"
    r"(?:additional )?reporting by\b.*\b(?:editing|writing) by\b", r"with (?:additional )?reports? from\b",
    r"(?:mit|mit material von|quelle:) (?:dpa|afp|ap|reuters|kna|epd|sid)\b[\w/, ]{0,20}$",
    r"(?:tags|tagged(?: as| with)?|filed under|topics|categories|schlagwörter):", r"©", r"copyright\b",
)
# Whole-line labels of widgets: the line is exactly one of these.
WIDGET_LABELS = (
    r"advertisements?", r"ad", r"sponsored(?: content)?", r"(?:story|article) continues below(?: advertisement)?",
    r"continue reading below", r"anzeige", r"werbung", r"publicité", r"publicidad", r"pubblicità",
    r"adverts?", r"advertising", r"publicidade", r"reklama", r"this slideshow requires javascript",
    r"facebook|twitter|x|linkedin|reddit|e-?mail|print|whatsapp|pinterest|tumblr|telegram|pocket|"
    r"flipboard|threads|bluesky|mastodon|more|copy link|tweet|share",
    # a gallery's counter and controls: "Image 1 of 8", "Back to Gallery" (a bare "1 / 8" may be a score)
    r"(?:image|photo|picture|slide|bild|foto)\s+\d+\s*(?:of|/|von|de|sur)\s*/?\s*\d+",
    r"back to (?:the )?gallery", r"(?:open|view|start) (?:the )?gallery", r"enlarge (?:this )?image",
)
# A newsletter promotion that ends in its call to action: "… a weekly newsletter … Sign up here.",
# "… Sign up for the free daily newsletter."
NEWSLETTER_PROMOTION = re.compile(r"\bnewsletters?\b.*\b(?:sign up|subscribe)\b[^.!]{0,20}[.!]?$|"
                                  r"\b(?:sign up|subscribe)\b[^.!]{0,60}\bnewsletters?\b[^.!]{0,60}[.!]?$",
                                  re.IGNORECASE)
# A WordPress shortcode the site failed to render: "[button link=...]Send us your review[/button]".
SHORTCODE_LINE = re.compile(r"^\[(?P<code>[a-z_]+)\b[^\]]*\].*\[/(?P=code)\]$|^\[/?[a-z_]+(?:\s[^\]]*)?\]$")
# A post's meta line: "05/10/2018 - Posted by: Jane Doe - Category: Health - Tags: ..." (two labels or more).
META_LABEL = re.compile(r"\b(?:posted by|published by|publicado por|postado por|categor(?:y|ies|ia|ie)|tags|"
                        r"filed under|posted in|schlagwörter|kategorie)\s*:", re.IGNORECASE)
# A photo credit line ("Credit: NASA", "Photo: AFP"); the short lines just before it in its
# paragraph are the caption it credits.
CREDIT_LINE = re.compile(r"^(?:\(?(?:image|photo|picture|video|illustration|graphic)? ?credits?:|"
                         r"(?:image|photo|picture|illustration|bild|foto):|photo(?:graph)? by\b|"
                         r"\(?(?:image|photo) (?:credit|courtesy)\b)", re.IGNORECASE)
# A caption that ends with its credit: "Saturn's rings in infrared. (Image credit: NASA/JPL)".
# Or with the source named in brackets: "Protesters in the square (Image: AFP)".
TRAILING_CREDIT = re.compile(r"\(?\b(?:image|photo|picture)? ?credits?: [^.]{1,80}\)?\.?$|"
                             r"\((?:image|photo|picture|pic|video|foto|bild)s?: [^()]{1,60}\)\.?$", re.IGNORECASE)
# A closing paragraph asking to follow its writer: "… is out now. Follow him on Twitter @jdoe."
FOLLOW_INVITATION = re.compile(r"(?:^|[.!?] )follow\b[^.!?]{0,40}?(?:\b(?:on|at) (?:twitter|x|facebook|instagram|"
                               r"linkedin|threads|bluesky|mastodon)\b|@\w)", re.IGNORECASE)
BIO_START = re.compile(r"^(?P<name>(?:[A-Z][\w.'-]+ ){1,3}?[A-Z][\w.'-]+) "
                       r"(?:is|was|has been|writes|covers|reports)\b")
# ---- end of the phrase lists ----

MAX_DATE_LINE_WORDS = 12
MAX_PROMPT_WORDS = 30  # a marker longer than this is a sentence of the article, not a prompt
MAX_CAPTION_WORDS = 60
MAX_BIO_WORDS = 100
MAX_HEADLINE_WORDS = 20
OPENING_PARAGRAPHS = 2  # where a byline's "12 comments" may sit


def any_of(patterns: Iterable[str], *, whole_line: bool = False) -> re.Pattern[str]:
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"^(?:{joined})$" if whole_line else rf"^(?:{joined})", re.IGNORECASE)


COMMENT_SECTION_START = any_of(COMMENT_SECTION_STARTS)
LATE_SECTION_START = any_of(LATE_SECTION_STARTS)
LINK_LIST_LEAD = re.compile(rf"{any_of(LINK_LIST_HEADINGS).pattern}\s*:", re.IGNORECASE)
LINK_LIST_HEADING_ONLY = re.compile(rf"{any_of(LINK_LIST_HEADINGS).pattern}\s*:?\s*$", re.IGNORECASE)
PROMPT = any_of(PROMPTS)
WIDGET_LABEL = any_of(WIDGET_LABELS, whole_line=True)


def length(line: str) -> int:
    """Words in ``line`` as far as the short-line limits care; str.split is ten times cheaper than
    counting \\w runs, and these limits only tell a prompt from a sentence."""
    return len(line.split())


def is_doubled(line: str) -> bool:
    """A line that is one headline twice: a teaser card, its image's caption and its link both the
    headline. (Four different words at least: "la la la la" or "Never again, never again" is text.)"""
    half = len(line) // 2
    return (not line.endswith((".", "!", "?")) and line[:half].strip() == line[half:].strip()
            and len({word.casefold() for word in line[:half].split()}) >= 4)


def is_prompt(line: str, words: int) -> bool:
    if words <= MAX_PROMPT_WORDS and (PROMPT.match(line) or WIDGET_LABEL.match(line.strip(" :.»›|")) or is_doubled(line)):
        return True
    lead = LINK_LIST_LEAD.match(line) if words <= MAX_PROMPT_WORDS else None
    if lead and (is_headline(line[lead.end():]) or not line[lead.end():].strip()):
        return True  # "Related: <headline>", "Read more: <headline>", not "More from the briefing: <sentence>."
    if SHORTCODE_LINE.match(line) or (words <= MAX_CAPTION_WORDS and len(META_LABEL.findall(line)) >= 2) \
            or (words <= MAX_DATE_LINE_WORDS and DATE_LINE.match(line)):
        return True
    lowered = line.lower()
    return words <= MAX_CAPTION_WORDS and (
        ("newsletter" in lowered and NEWSLETTER_PROMOTION.search(line) is not None)
        or (line.endswith((")", ").")) and TRAILING_CREDIT.search(line) is not None)
        or ("credit" in lowered and TRAILING_CREDIT.search(line) is not None)
        or CREDIT_LINE.match(line) is not None
    )


def is_furniture(text: str) -> bool:
    """A line that starts a comment section or is a prompt: what `scrapy checksite` and
    `savefixture` look for in pages and finished bodies, by this stage's own markers."""
    return bool(COMMENT_SECTION_START.match(text)) or is_prompt(text, length(text))


def is_headline(line: str) -> bool:
    """A line that reads as a linked headline in a list, not a sentence."""
    return 0 < length(line) <= MAX_HEADLINE_WORDS and not line.rstrip().endswith((".", "!", ":", ";"))


def is_bio(paragraph: str, authors: Sequence[str]) -> bool:
    if length(paragraph) > MAX_BIO_WORDS:
        return False
    if FOLLOW_INVITATION.search(paragraph):
        return True
    start = BIO_START.match(paragraph)
    if not start:
        return False
    name = start.group("name").casefold()
    return any(name in a.casefold() or a.casefold() in name for a in authors) or bool(BIO_ROLE.search(paragraph))


# A line that is only a date and time, with a label: "Stand: 08.07.2026 05:00 Uhr", "Updated March 3,
# 2024, 10:15 a.m. ET", "Published 3 hours ago". The page's date, not its text.
DATE_LINE = re.compile(
    r"^\(?(?:(?:stand|updated?|aktualisiert|published|posted|veröffentlicht|publié|publicado|mis à jour|"
    r"actualizado|last updated|erstellt|am|on|le|el)\b[\s:]*)*"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\w*\.?,?\s*)?"
    r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d\d-\d\d|\d{1,2}\.?\s+[^\W\d]{3,10}\.?,?\s+\d{4}|"
    r"[^\W\d]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d+\s+(?:minutes?|hours?|days?)\s+ago)"
    r"(?:,?\s*(?:at|um|à|-|–|\|)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*(?:uhr|[a-z]{2,4}))?)?\)?\.?$",
    re.IGNORECASE)
MIN_LINK_LIST_ITEMS = 2  # headline-like paragraphs after a "Related" heading that make it a list


def without_link_lists(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without a link-list heading ("Related", "Mehr zum Thema") set as its own
    paragraph and the run of headline-like paragraphs after it, when the run has two or more:
    one short line after such a heading is a real subheading."""
    kept: list[str] = []
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        if length(paragraph) <= MAX_PROMPT_WORDS and LINK_LIST_HEADING_ONLY.match(paragraph):
            end = index + 1
            while end < len(paragraphs) and "\n" not in paragraphs[end] and is_headline(paragraphs[end]):
                end += 1
            if end - index - 1 >= MIN_LINK_LIST_ITEMS:
                index = end
                continue
        kept.append(paragraph)
        index += 1
    return kept


def strip_boilerplate(body: str, authors: Sequence[str] = ()) -> str:
    """``body`` (paragraphs separated by a blank line) without comments, prompts and a closing bio."""
    kept: list[str] = []
    for index, paragraph in enumerate(without_link_lists(body.split("\n\n"))):
        opening = index < OPENING_PARAGRAPHS
        kept_lines: list[str] = []
        section_starts = False
        # A link list is the lines under its heading in one paragraph: a heading left alone by
        # extraction is often followed by a real subheading.
        in_link_list = False
        for line in paragraph.split("\n"):
            words = length(line)
            if words > MAX_CAPTION_WORDS:  # a sentence or more: never a marker
                in_link_list = False
                kept_lines.append(line)
                continue
            short = words <= MAX_PROMPT_WORDS
            if short and (COMMENT_SECTION_START.match(line) or (not opening and LATE_SECTION_START.match(line))):
                section_starts = True
                break
            if in_link_list and is_headline(line):
                continue
            in_link_list = short and LINK_LIST_HEADING_ONLY.match(line) is not None
            if short and CREDIT_LINE.match(line) and sum(map(length, kept_lines)) <= MAX_CAPTION_WORDS:
                kept_lines.clear()  # the caption above its credit
                continue
            if in_link_list or is_prompt(line, words) or (short and LATE_SECTION_START.match(line)):
                continue
            kept_lines.append(line)
        if kept_lines:
            kept.append("\n".join(kept_lines))
        if section_starts:
            break
    if kept and is_bio(kept[-1], authors):
        kept.pop()
    while kept and kept[-1].endswith(":"):
        kept.pop()  # an introduction to a list of links that is gone: "Learn more about Mars:"
    return "\n\n".join(kept)


class StripBoilerplatePipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StripBoilerplatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        body = strip_boilerplate(adapter.get("body") or "", adapter.get("authors") or ())
        words = count_words(body)
        if not words:
            raise drop(self.stats, "empty_after_boilerplate", str(adapter.get("url")))
        adapter["body"] = body
        adapter["word_count"] = words
        return item

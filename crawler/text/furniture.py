"""Page furniture as text: the phrases of comment sections, prompts (share, follow, newsletter,
related links, photo credits, advertisement labels) and closing bios, and the line tests that
find them.

A marker counts only at the start of a short line, so an article *about* a newsletter keeps its
text. The strip_boilerplate stage cuts bodies by these tests, `scrapy checksite` and `savefixture`
look for furniture with them, and extraction leaves out blocks that are one of FURNITURE_LINES.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.text.dates import ENGLISH_DATE_LABELS, ENGLISH_WEEKDAY_STEMS, WEEKDAYS
from crawler.text.words import SENTENCE_ENDS, words_in

# ---- the phrase lists: every marker, matched case-insensitively at line start ----
# Advertisement labels in other languages than English, a line of their own.
AD_LABELS = ("anzeige", "werbung", "publicité", "publicidad", "pubblicità", "reklama")
# Headings of link lists that both the prompt tests and FURNITURE_LINES know word for word.
COMMON_LINK_LIST_HEADINGS = ("meistgelesen", "lesen sie auch", "mehr zum thema")
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
    *COMMON_LINK_LIST_HEADINGS, r"les plus lus", r"lo más leído", r"auch interessant",
    r"weitere artikel", r"das könnte sie auch interessieren",
    r"(?:à )?lire aussi", r"sur le même sujet", r"(?:lee|lea) también", r"te puede interesar",
    r"(?:noticias )?relacionadas", r"leggi anche", r"potrebbe interessarti", r"leia (?:também|mais)",
    r"veja também", r"czytaj (?:też|także|więcej)", r"читайте также", r"[【\[]?関連(?:記事|ニュース)[】\]]?",
    r"관련\s?기사", r"相关(?:阅读|新闻|文章)", r"相關(?:閱讀|新聞|文章)",
)
# A short line starting with one of these is a prompt, not text.
PROMPTS = (
    # sharing and following
    (r"share (?:this(?: article| story| post| page)?|(?:it |this )?(?:on|via|with) [\w.]+(?: (?:and|or) [\w.]+)?|"
     r"the (?:article|story))\W*$"), r"share:", r"click to (?:share|email|print)",
    r"like this:", r"like loading", r"(?:follow|find) us\b", (r"follow .{1,40} on (?:twitter|x|facebook|instagram|"
    r"linkedin|threads|bluesky|mastodon|youtube)\b"), r"teilen:", r"partager\b", r"compartir\b",
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
    r"continue reading below", *AD_LABELS, r"adverts?", r"advertising", r"publicidade",
    r"this slideshow requires javascript",
    (r"facebook|twitter|x|linkedin|reddit|e-?mail|print|whatsapp|pinterest|tumblr|telegram|pocket|"
     r"flipboard|threads|bluesky|mastodon|more|copy link|tweet|share"),
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
# Whole blocks that extraction leaves out of an article's text, compared case folded.
FURNITURE_LINES = frozenset({
    "advertisement", *AD_LABELS,
    "share", "share this", "share this:", "share this article", "read more", "related", "loading",
    "click to share on twitter", "like this:", "related posts", "tags", "tags:",
    "topics", "themen", "more about", "most read", "don't miss", "häufig gelesen", *COMMON_LINK_LIST_HEADINGS,
})
# ---- end of the phrase lists ----


MAX_DATE_LINE_WORDS = 12
MAX_PROMPT_WORDS = 30  # a marker longer than this is a sentence of the article, not a prompt
MAX_CAPTION_WORDS = 60
MAX_HEADLINE_WORDS = 20


def any_of(patterns: Iterable[str], *, whole_line: bool = False) -> re.Pattern[str]:
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"^(?:{joined})$" if whole_line else rf"^(?:{joined})", re.IGNORECASE)


COMMENT_SECTION_START = any_of(COMMENT_SECTION_STARTS)
LATE_SECTION_START = any_of(LATE_SECTION_STARTS)
LINK_LIST_LEAD = re.compile(rf"{any_of(LINK_LIST_HEADINGS).pattern}\s*:", re.IGNORECASE)
LINK_LIST_HEADING_ONLY = re.compile(rf"{any_of(LINK_LIST_HEADINGS).pattern}\s*:?\s*$", re.IGNORECASE)
PROMPT = any_of(PROMPTS)
WIDGET_LABEL = any_of(WIDGET_LABELS, whole_line=True)


def is_doubled(line: str) -> bool:
    """A line that is one headline twice: a teaser card, its image's caption and its link both the
    headline. (Four different words at least: "la la la la" or "Never again, never again" is text.)"""
    half = len(line) // 2
    return (not line.endswith(SENTENCE_ENDS) and line[:half].strip() == line[half:].strip()
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
    `savefixture` look for in pages and finished bodies, by the strip stage's own markers."""
    return bool(COMMENT_SECTION_START.match(text)) or is_prompt(text, words_in(text))


def is_headline(line: str) -> bool:
    """A line that reads as a linked headline in a list, not a sentence."""
    return 0 < words_in(line) <= MAX_HEADLINE_WORDS and not line.rstrip().endswith((*SENTENCE_ENDS, ":", ";"))


# A line that is only a date and time, with a label: "Stand: 08.07.2026 05:00 Uhr", "Updated March 3,
# 2024, 10:15 a.m. ET", "Published 3 hours ago". The page's date, not its text.
DATE_LINE = re.compile(
    rf"^\(?(?:(?:{ENGLISH_DATE_LABELS}|update|stand|aktualisiert|veröffentlicht|publié|publicado|mis à jour|"
    r"actualizado|erstellt|am|le|el)\b[\s:]*)*"
    rf"(?:(?:{ENGLISH_WEEKDAY_STEMS}|{'|'.join(WEEKDAYS['de'])})\w*\.?,?\s*)?"
    r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d\d-\d\d|\d{1,2}\.?\s+[^\W\d]{3,10}\.?,?\s+\d{4}|"
    r"[^\W\d]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d+\s+(?:minutes?|hours?|days?)\s+ago)"
    r"(?:,?\s*(?:at|um|à|-|–|\|)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*(?:uhr|[a-z]{2,4}))?)?\)?\.?$",
    re.IGNORECASE)

"""Authors: bylines in their many forms and languages, declared names, and the names that are not
writers (editors, photo credits, desks, the site itself)."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article
from tests.extraction_pages import PARAGRAPHS, page


@pytest.mark.parametrize("byline, expected", [
    ("By Jane Doe", ["Jane Doe"]),
    ("By JANE DOE and John Roe", ["JANE DOE", "John Roe"]),
    ("Jane Doe, Senior Space Correspondent", ["Jane Doe"]),
    ("Von Anna Schmidt und Peter Müller", ["Anna Schmidt", "Peter Müller"]),
    ("Por María López", ["María López"]),
    ("Martí Abad (Enviado especial)", ["Martí Abad"]),
    ("Von Anna Schmidt und Peter Müller, dpa", ["Anna Schmidt", "Peter Müller", "dpa"]),
    ("김지수 기자", ["김지수"]),
    ("<div>By Jane Doe and John Roe</div><div>Example Wire</div>", ["Jane Doe", "John Roe", "Example Wire"]),
    ("<a href='/p/jd'>Jane Doe</a> <span>Stand:</span> <span>3. März 2024</span>", ["Jane Doe"]),
    ("<a href='/jd'>Jane Doe</a> <a href='https://twitter.com/jd'>Twitter</a>", ["Jane Doe"]),
    ("Reuters/ku Frankfurt", ["Reuters"]),  # an agency, then a writer's short code and the place
    ("Von Nadia al-Sayed und Luc van Dam", ["Nadia al-Sayed", "Luc van Dam"]),
    ("Philipp Wahl, Redaktionsleiter", ["Philipp Wahl"]),
    ("By Jane Doe | Photos: REUTERS/Max Muster, John Roe", ["Jane Doe"]),
    ("Anna Schmidt mit AP", ["Anna Schmidt", "AP"]),  # "with" an agency, in lower case only:
    ("By Con Coughlin", ["Con Coughlin"]),  # "Con" begins a name
    ("Von Anna Schmidt mit Material von dpa", ["Anna Schmidt", "dpa"]),  # what came from an agency
    ("Por Juan Pérez con información de EFE", ["Juan Pérez", "EFE"]),
    ("Anna Schmidt, Redakteurin mit Schwerpunkt Politik", ["Anna Schmidt"]),  # after German "mit": an agency at most
    ("Por Juan Pérez con agencias", ["Juan Pérez"]),
    ("By Jane Doe with John Roe and Reuters", ["Jane Doe", "John Roe", "Reuters"]),  # after "with": co-writers too
    ("By Jane Doe with staff reports", ["Jane Doe"]),
    ("By Jane Doe with AP | Politics", ["Jane Doe", "AP"]),
    ("By Jane Doe with AP/Reuters", ["Jane Doe", "AP", "Reuters"]),
    ("By Bruce Y. Lee and Sarah E. Needleman", ["Bruce Y. Lee", "Sarah E. Needleman"]),  # initials, not "y"/"e"
    ("Juan Pérez y Ana Ruiz", ["Juan Pérez", "Ana Ruiz"]),
    ("POR JUAN PÉREZ Y ANA RUIZ", ["JUAN PÉREZ", "ANA RUIZ"]),  # in capitals, a conjunction in capitals
    ("By Domingo", ["Domingo"]),  # a weekday's word alone is a name
    ("Mario Rossi, Lunedì", ["Mario Rossi"]),
    ("Rachael Link, MS, RD, and John Roe, Ph.D., Jr.", ["Rachael Link", "John Roe"]),  # degrees and suffixes
    ("By Jane Doe and John Roe, Monday, November 18, 2019, 04:05 pm PT", ["Jane Doe", "John Roe"]),  # a weekday
])
def test_byline_variants_give_bare_person_names(byline, expected):
    body = f"<article><h1>Headline</h1><div class='byline'>{byline}</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body)).authors == expected


@pytest.mark.parametrize("byline, expected", [
    ("순천, 광양 <strong>구현모</strong> 기자 <span class='email'>ninek@news.example</span>", ["구현모"]),
    ("서울=홍길동 수습기자", ["서울=홍길동"]),
    ("山田太郎記者", ["山田太郎"]),
])
def test_a_byline_with_reporter_titles_names_only_the_people_they_follow(byline, expected):
    body = f"<article><h1>Headline</h1><div class='writer'>{byline}</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, lang="ko")).authors == expected


def test_byline_in_a_script_without_letter_case_gives_the_name():
    body = "<article><h1>Headline</h1><div class='byline'>김지수</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, lang="ko")).authors == ["김지수"]


@pytest.mark.parametrize("byline, expected", [
    ("By Example News Staff", ["Example News Staff"]),
    ("Example staff reporter", ["Example staff reporter"]),
    ("By Jane Doe, Times Staff Writer", ["Jane Doe"]),
    ("Senior Staff Writer", []),
])
def test_a_desk_signing_the_whole_byline_is_its_author(byline, expected):
    body = f"<article><h1>Headline</h1><div class='byline'>{byline}</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body)).authors == expected


def test_declared_author_name_that_reads_like_a_role_is_kept():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Example staff reporter"}]}</script>'
    assert extract_article("https://news.example/x", page("<p>Text.</p>", head=head)).authors == ["Example staff reporter"]


def test_meta_authors_not_shown_in_the_byline_are_dropped_when_the_byline_confirms_another():
    head = "<meta name='author' content='Example Publishing Group'><meta name='parsely-author' content='Jane Doe'>"
    body = "<article><h1>Headline</h1><div class='byline'>By Jane Doe</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).authors == ["Jane Doe"]


def test_site_name_as_byline_is_dropped_when_a_person_is_named():
    head = ("<meta property='og:site_name' content='Example Space News'>"
            "<meta name='author' content='Example Space News'><meta name='author' content='Jane Doe'>")
    assert extract_article("https://news.example/x", page("<p>Text.</p>", head=head)).authors == ["Jane Doe"]


def test_the_person_the_byline_labels_editor_is_not_the_author_even_when_declared():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Rita Moreno"}}</script>'
    body = ("<article><h1>Headline</h1><div class='author-main'>Jane Doe</div>"
            "<div class='author-info'>Editor: <a class='author' href='/e'>Rita Moreno</a></div><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body, head=head)).authors == ["Jane Doe"]


def test_an_editor_alone_is_still_named():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Rita Moreno"}}</script>'
    body = "<article><h1>Headline</h1><div class='author-info'>Editor: Rita Moreno</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).authors == ["Rita Moreno"]


_QUOTE = ("<div class='shortcode'><div class='blockquote'><p>We are ready.</p>"
          "<p class='blockquote__author'>Max Muster, Union President</p></div></div>")


@pytest.mark.parametrize("body", [
    pytest.param(f"<article><h1>Headline</h1><p class='image--byline'>{credit}</p><div class='byline'>By "
                 "<a href='/p/jd'>Jane Doe</a></div><p>Text.</p></article>", id=f"photo credit {n}")
    for n, credit in enumerate(["Foto: REUTERS/Max Muster", "Photo: Example Wire / Max Muster"])
] + [
    pytest.param("<article><h1>Headline</h1><div class='contributors'>By Jane Doe</div><p>Text.</p>"
                 "<footer class='contributors-more'>More sources • Example Wire</footer></article>",
                 id="a footer named like a byline lists sources"),
    pytest.param("<article><h1>Headline</h1><div class='post__author'><a href='/p/jd'>Jane Doe</a></div>"
                 f"<div class='text'>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}{_QUOTE}</div></article>",
                 id="the source of a quotation"),
] + [
    pytest.param(f"<article><div class='{header_class}'><h1>Headline</h1><span class='byline'>By Jane Doe</span>"
                 "</div><div class='sidebar'><span class='byline'>By Max Muster</span></div><p>Text.</p></article>",
                 id=f"the headline's box, named {header_class!r}")
    for header_class in ["sidebar-grid__header", "headline-box hasCaption", "article-teaser-textbox"]
] + [
    pytest.param("<div class='top'><h1>Headline</h1></div><div class='list'><article class='grid'>"
                 "<a href='/news/other'>Another launch story</a><div class='author'>Max Muster</div></article></div>"
                 f"<div class='author'>By Jane Doe</div><div class='text'><p>{PARAGRAPHS[0]}</p></div>",
                 id="another story's card, an <article> that links away"),
    pytest.param("<article><h1>Headline</h1><div class='author'>By Jane Doe</div><p>Text.</p></article>"
                 f"<article class='more'><h2>Another launch story</h2><div class='author'>Max Muster</div>"
                 f"<p>{PARAGRAPHS[1]}</p></article>",
                 id="another <article>, when the headline is in one"),
    pytest.param("<article><header><h1>Headline</h1></header><div class='author'>By Jane Doe</div>"
                 f"<p>{PARAGRAPHS[0]}</p><article><h4>Read also</h4><h3><a href='/news/other'>Another launch story</a></h3>"
                 f"<div class='author'>By Max Muster</div>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article>"
                 "</article>", id="a related story's <article> inside the headline's, its heading a link"),
    pytest.param("<article><header><h1>Headline</h1></header><div class='main'><article class='body'>"
                 f"<div class='author'>By Jane Doe</div><p>{PARAGRAPHS[0]}</p><h2><a href='#vote'>The vote</a></h2>"
                 f"<p>{PARAGRAPHS[1]}</p></article></div></article>",
                 id="an <article> inside the headline's holding the text, a subheading linking within the page"),
    pytest.param("<article><header><h1>Headline</h1><div class='entry-meta social-comments'>"
                 "<span itemprop='author'>Jane Doe</span></div></header><p>Text.</p></article>",
                 id="the meta line beside the headline, named for comments"),
])
def test_the_writer_is_told_from_names_in_other_boxes(body):
    """A photo credit, a footer's sources or a quotation's speaker name no writer; the box that
    holds the headline is the article's whatever its class says."""
    assert extract_article("https://news.example/x", page(body)).authors == ["Jane Doe"]


def test_photo_credits_and_breadcrumbs_are_not_bylines():
    body = ("<nav class='breadcrumb'><span class='author-link'>Home</span></nav><article><h1>Headline</h1>"
            "<figure><figcaption class='author'>Foto: Max Muster</figcaption></figure>"
            "<div class='byline'>Foto: Max Muster</div><div class='author'>Jane Doe</div><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body)).authors == ["Jane Doe"]


@pytest.mark.parametrize("line, expected", [
    ("By Jane Doe", ["Jane Doe"]),
    ("Von Anna Schmidt", ["Anna Schmidt"]),
    ("Von der Leyen will die Raumfahrt stärken", []),  # a sentence, not a byline
    ("Anna Schmidt | 05.04.2025 - Aktualisiert: 05.04.2025", ["Anna Schmidt"]),
    ("Jane Doe · March 3, 2024", ["Jane Doe"]),
    ("Politics | March 3, 2024", []),  # a section beside the date
    ("by Jane Doe on March 3, 2024", ["Jane Doe"]),
    ("by Jane Doe on Monday, March 3, 2024", ["Jane Doe"]),
    ("Von Anna Schmidt am 03.03.2024 · 10:15 Uhr", ["Anna Schmidt"]),
    ("By Thanh Le March 3, 2024", []),  # "Le" ends the name, not a word leading to the date
    ("By Jan van den Berg, March 3, 2024", ["Jan van den Berg"]),
])
def test_a_by_line_after_the_headline_names_the_author_when_nothing_else_does(line, expected):
    body = f"<article><h1>Headline</h1><div class='x'><p class='y'>{line}</p></div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body)).authors == expected


@pytest.mark.parametrize("byline", [
    "<span class='autor-name'>Anna Schmidt</span>",
    "<span class='story-writer'>Anna Schmidt</span>",
    "<a href='/author/anna-schmidt/'>Anna Schmidt</a>",
    "<div class='c-article-contributors'><a href='https://social.example/news'>Anna Schmidt</a></div>",
    "<button class='author-bio-button'>Show biography</button><span id='authors'>Anna Schmidt</span>",
])
def test_bylines_found_by_other_names_and_by_author_page_links(byline):
    body = f"<article><h1>Headline</h1><div class='x'>{byline}</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body)).authors == ["Anna Schmidt"]


def test_a_byline_element_without_letters_is_no_name():
    head = ("<meta property='og:site_name' content='Example News'>"
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Example News"}}</script>')
    body = "<article><h1>Headline</h1><span itemprop='author'>})</span><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).authors == ["Example News"]


def test_a_class_on_the_page_body_does_not_make_the_whole_page_furniture():
    html = ("<html lang='en'><body class='segment--recommended'><article><h1>Headline</h1>"
            "<span class='byline'>By Jane Doe</span><p>Text.</p></article></body></html>")
    assert extract_article("https://news.example/x", html).authors == ["Jane Doe"]


@pytest.mark.parametrize("card, expected", [
    ("<figure><a rel='author' href='/p/jd'><img src='/jd.jpg' alt=''></a><figcaption><address>Von "
     "<a rel='author' href='/p/jd'>Jane Doe</a></address><p>Redakteurin</p></figcaption></figure>", ["Jane Doe"]),
    ("<figure><figcaption><address>Von <span>Jane Doe</span></address></figcaption></figure>", ["Jane Doe"]),
    ("<figure><img src='/launch.jpg' alt=''><figcaption><span class='author'>Max Muster</span></figcaption></figure>",
     []),  # a photo's credit
])
def test_an_author_card_set_as_a_figure_is_the_byline_but_a_photo_credit_is_not(card, expected):
    body = f"<article><h1>Headline</h1><div class='meta'>{card}</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body)).authors == expected


def test_an_h1_in_the_breadcrumbs_does_not_make_them_the_article():
    body = ("<article><nav><div class='crumbs meta-author'><h1>Politics</h1><a href='/'>Home</a></div></nav>"
            "<h2>Headline</h2><span class='author'>Jane Doe</span><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body)).authors == ["Jane Doe"]


def test_an_author_link_with_first_and_last_name_in_spans_is_one_name():
    body = ("<article><h1>Headline</h1><div class='bylines'>"
            "<a rel='author' href='/a/ib'><span class='first'>Ingrid</span> <span class='last'>Berg</span></a>"
            "<a rel='author' href='/a/jd'><span class='first'>Jane Maria</span> <span class='last'>Doe</span></a>"
            "</div><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body)).authors == ["Ingrid Berg", "Jane Maria Doe"]


SITE_AS_AUTHOR = ("<meta property='og:site_name' content='Example News'>"
                  '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Example News"}}</script>')


@pytest.mark.parametrize("before, after, expected", [
    ("<p><strong>Jane Doe / John Roe</strong></p>", "", ["Jane Doe", "John Roe"]),
    ("<p><em>A kicker above the text</em></p><p><b>JANE DOE</b></p>", "", ["JANE DOE"]),
    ("", "<p style='text-align:right'><strong>Jane Doe</strong></p>", ["Jane Doe"]),
    ("<p><strong>Background</strong></p>", "", ["Example News"]),  # a bold heading, not a name
    ("<p><strong>Jane Doe</strong> said the launch went well.</p>", "", ["Example News"]),  # bold in a sentence
])
def test_a_bold_name_paragraph_opening_or_closing_the_text_is_the_byline_when_only_the_site_is_declared(
        before, after, expected):
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = f"<article><h1>Headline</h1><div class='content'>{before}{paragraphs}{after}</div></article>"
    assert extract_article("https://news.example/x", page(body, head=SITE_AS_AUTHOR)).authors == expected


def test_a_shared_cms_account_is_not_a_writer():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Desk A", "url": "https://news.example/author/admin/"}}</script>'
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = (f"<article><h1>Headline</h1><p>by <a rel='author' href='/author/admin/'>Desk A</a></p>"
            f"<div class='content'><p><strong>Jane Doe</strong></p>{paragraphs}</div></article>")
    assert extract_article("https://news.example/x", page(body, head=head)).authors == ["Jane Doe"]


@pytest.mark.parametrize("byline, expected", [
    ("<a rel='author' href='/a/jd'>Jane Doe</a> <a rel='author' href='/a/jr'>John Roe</a>", ["Jane Doe", "John Roe"]),
    # a name beside the writer in an element only named like a byline may be anyone (a photographer)
    ("<span class='author'>Jane Doe</span> <span class='author'>Max Muster</span>", ["Jane Doe"]),
])
def test_co_writers_marked_up_as_authors_join_the_one_declared(byline, expected):
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}</script>'
    body = f"<article><h1>Headline</h1><div class='meta'>{byline}</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).authors == expected


def test_byline_paths_select_what_their_css_selectors_select():
    from lxml.cssselect import CSSSelector

    from crawler.extraction.article import parse_html
    from crawler.extraction.authors import _byline_candidates

    css = ('[itemprop="author"] [itemprop="name"]', '[itemprop="author"]', '[rel="author"]', '.author.vcard',
           '.vcard .fn', *(f'[class*="{part}"]' for part in ("byline", "by_line", "author-name", "authorName", "author",
                                                             "autor", "auteur", "writer", "contributor")),
           '[id*="author"]', '[itemprop="creator"]', *(f'a[href*="{part}"]' for part in ("/author/", "/authors/", "/autor/", "/autoren/",
                                                                        "/auteur/")))
    root = parse_html(
        "<html><body><div class='vcard fn'>Photo Desk</div><div class='vcard'><span class='fn'>Jane Doe</span>"
        "<div class=' fn\tlarge'>John Roe</div></div><div class='vcard'><div class='vcard'><b class='fn'>Inner</b></div>"
        "<i class='fn'>Outer</i></div><div itemprop='author'><p itemprop='author'><b itemprop='name'>In</b></p>"
        "<i itemprop='name'>Out</i></div><p itemprop='author' class='author\nvcard'><b itemprop='name'>"
        "Ann Poe</b></p><p itemprop='author name'>Max Moe</p><a href='/author/ann' rel='author'>Ann</a>"
        "<span class='post-authorName byline writer'>By Ann</span><a href='/autoren/max/'>Max</a><span id='authors'>Max Moe</span>"
        "<span itemprop='creator' class='autor auteur by_line c-contributors'>Max</span><div href='/author/x'>not a link</div>"
        "</body></html>")
    candidates = list(_byline_candidates(root))
    assert len(candidates) == len(css)
    for found, selector in zip(candidates, css):
        assert found == CSSSelector(selector, translator="html")(root), selector

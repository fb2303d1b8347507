"""The title and the headline element: what the page declares, what it shows, kickers, trails and
breadcrumbs, and the headline that dates are found beside."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article
from tests.extraction_pages import PARAGRAPHS, page


@pytest.mark.parametrize("declared, expected", [
    ("Weather satellite reaches orbit | Example Space News", "Weather satellite reaches orbit"),
    ("Weather satellite reaches orbit - Example Space News", "Weather satellite reaches orbit"),
    ("Example Space News: Weather satellite reaches orbit", "Weather satellite reaches orbit"),
    ("Weather satellite reaches orbit", "Weather satellite reaches orbit"),
    ("Falcon 9 - the workhorse: Weather satellite reaches orbit", "Falcon 9 - the workhorse: Weather satellite reaches orbit"),
    ("Weather satellite reaches orbit | Example Space News | by Jane Doe", "Weather satellite reaches orbit"),
    ("Weather satellite reaches orbit * Example Space News * by Jane Doe", "Weather satellite reaches orbit"),
    ("Weather satellite reaches orbit\uff5cExample Space News", "Weather satellite reaches orbit"),
    ("Photo contest: Example Space News readers pick the best launch", "Photo contest: Example Space News readers pick the best launch"),
])
def test_title_loses_the_site_name_but_keeps_its_own_punctuation(declared, expected):
    head = f"<title>{declared}</title><meta property='og:site_name' content='Example Space News'>"
    article = extract_article("https://news.example/x", page("<div><p>No headline element here.</p></div>", head=head))
    assert article.title == expected


def test_title_prefers_the_visible_headline_confirmed_by_metadata():
    head = "<meta property='og:title' content='Weather satellite reaches orbit – Example'>"
    body = "<h1>Site logo</h1><article><h1>Weather satellite reaches orbit</h1><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).title == "Weather satellite reaches orbit"


def test_title_skips_headings_in_breadcrumbs_and_lists_for_the_confirmed_visible_one():
    # The SEO title sits in a breadcrumb <h1>; the page shows its headline in an <h2> that the
    # JSON-LD headline confirms, while <title> and og:title give the SEO variant.
    head = ("<title>Orbit reached: satellite safe after launch</title>"
            "<meta property='og:title' content='Orbit reached: satellite safe after launch'>"
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Weather satellite reaches orbit"}</script>')
    body = ("<ul class='trail'><li><a href='/'>Home</a></li><li><h1>Orbit reached: satellite safe after launch</h1></li></ul>"
            "<article><hgroup><h2>Weather satellite reaches orbit</h2></hgroup><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body, head=head)).title == "Weather satellite reaches orbit"


_KICKER_APART = "<h2><span class='kicker'>Launch</span><span class='headline'>Weather satellite reaches orbit</span></h2>"


@pytest.mark.parametrize("head, heading, expected", [
    # og:title gives the headline alone; the JSON-LD headline, shown in a breadcrumb, has the kicker
    ("<meta property='og:title' content='Weather satellite reaches orbit'>"
     '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Launch: Weather satellite reaches orbit"}</script>',
     "<nav class='breadcrumb'><h1>Launch: Weather satellite reaches orbit</h1></nav>" + _KICKER_APART,
     "Weather satellite reaches orbit"),
    # only "Kicker: Headline" is declared, and the heading shows the two apart, without the colon
    ("<meta property='og:title' content='Launch: Weather satellite reaches orbit'>", _KICKER_APART,
     "Weather satellite reaches orbit"),
    # the heading shows the colon: kicker and headline read as one title
    ("<meta property='og:title' content='Launch: Weather satellite reaches orbit'>",
     "<h1><span class='kicker'>Launch</span><span>: </span><span class='headline'>Weather satellite reaches orbit</span></h1>",
     "Launch: Weather satellite reaches orbit"),
])
def test_title_takes_the_headline_part_of_a_heading_that_holds_a_kicker(head, heading, expected):
    body = f"<article>{heading}<p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).title == expected


def test_title_from_a_heading_split_into_elements_keeps_the_declared_spacing():
    head = "<meta property='og:title' content='Launch day / Weather satellite reaches orbit'>"
    body = "<article><h1><span>Launch day</span><span>Weather satellite reaches orbit</span></h1><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).title == \
        "Launch day / Weather satellite reaches orbit"


def test_title_skips_a_heading_in_a_breadcrumb_named_only_by_data_or_aria_attributes():
    # <title> and the JSON-LD give the trail's wording; the article shows the og:title.
    head = ("<title>Satellite launch updates</title>"
            "<meta property='og:title' content='Weather satellite reaches orbit'>"
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Satellite launch updates"}</script>')
    trails = ["<div data-testid='BreadcrumbArea'><a href='/'>Home</a><h1>Satellite launch updates</h1></div>",
              "<div aria-label='Breadcrumb'><a href='/'>Home</a><h1>Satellite launch updates</h1></div>"]
    for trail in trails:
        body = f"{trail}<article><h2>Weather satellite reaches orbit</h2><p>Text.</p></article>"
        assert extract_article("https://news.example/x", page(body, head=head)).title == "Weather satellite reaches orbit"


@pytest.mark.parametrize(("head", "body"), [
    # the JSON-LD headline and og:title agreeing outweigh a heading worded otherwise
    ("<meta property='og:title' content='Weather satellite reaches orbit | Example Space News'>"
     "<meta property='og:site_name' content='Example Space News'>"
     '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Weather satellite reaches orbit"}</script>',
     "<article><h1>Up it goes</h1><p>Text.</p></article>"),
    # the site's name, which JSON-LD and og:title both default to, is no title
    ("<meta property='og:title' content='Example Space News'><meta property='og:site_name' content='Example Space News'>"
     '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Example Space News"}</script>',
     "<article><h1>Weather satellite reaches orbit</h1><p>Text.</p></article>"),
    # nor is the site's name and slogan that og:title defaults to
    ("<meta property='og:site_name' content='Example Space News - Launch coverage'>"
     "<meta property='og:title' content='Example Space News - Launch coverage'>"
     "<title>Weather satellite reaches orbit | Example Space News</title>",
     "<div><p>No headline element here.</p></div>"),
])
def test_title_from_what_the_page_declares(head, body):
    assert extract_article("https://news.example/x", page(body, head=head)).title == "Weather satellite reaches orbit"


def test_title_keeps_a_last_part_that_only_holds_a_short_host_label():
    # The host's first label ("de") is one of the site's names, yet "delayed" does not name the site.
    head = "<title>Weather update: satellite launch delayed</title>"
    body = "<div><p>No headline element here.</p></div>"
    assert extract_article("https://de.news.example/x", page(body, head=head)).title == \
        "Weather update: satellite launch delayed"


def test_title_confirmed_by_a_json_ld_headline_written_with_html_entities():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "The probe&#8217;s last orbit"}</script>'
    body = "<h1>Latest stories</h1><article><h2>The probe\u2019s last orbit</h2><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).title == "The probe\u2019s last orbit"


def test_title_heading_read_without_the_style_rules_inside_it():
    head = "<meta property='og:title' content='Weather satellite reaches orbit'>"
    body = ("<h1>Latest stories</h1><article><h2 class='k'><style>.k{font-weight:700}</style>Weather "
            "satellite reaches orbit</h2><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body, head=head)).title == "Weather satellite reaches orbit"


@pytest.mark.parametrize("kicker_class", ["title__kicker", "article__kicker", "overline", "eyebrow", "Dachzeile", "label"])
def test_title_without_metadata_is_the_h2_opening_the_article_without_its_kicker(kicker_class):
    body = (f"<header><h1><img src='/logo.png' alt=''></h1></header><main><article><h2><span class='{kicker_class}'>Launch"
            "</span><span class='headline'>Weather satellite reaches orbit</span></h2>"
            f"<p>{PARAGRAPHS[0]}</p><h2>What comes next</h2><p>{PARAGRAPHS[1]}</p></article></main>")
    assert extract_article("https://news.example/x", page(body)).title == "Weather satellite reaches orbit"


def test_title_without_metadata_is_the_h2_opening_a_blog_themes_hatom_entry():
    body = ("<header><p>Latest update May 6th</p><h1><a href='/'><img src='/logo.png' alt=''></a></h1></header>"
            "<div class='post-7 post type-post hentry'><h2 class='entry-title'>Weather satellite reaches orbit</h2>"
            f"<p>{PARAGRAPHS[0]}</p><h2>What comes next</h2><p>{PARAGRAPHS[1]}</p></div>")
    assert extract_article("https://news.example/x", page(body)).title == "Weather satellite reaches orbit"


@pytest.mark.parametrize("head, heading, expected", [
    # a colon shown between kicker and headline makes them one title
    ("", "<h2><span class='kicker'>Launch</span><span>: </span><span>Weather satellite reaches orbit</span></h2>",
     "Launch: Weather satellite reaches orbit"),
    # an <h2> outweighs the <title>, which may carry trails
    ("<title>Satellite in orbit - Space - Example</title>", "<h2>Weather satellite reaches orbit</h2>",
     "Weather satellite reaches orbit"),
    # a title written for the article outweighs an <h2> that does not confirm it
    ("<meta property='og:title' content='Weather satellite reaches orbit'>", "<h2>Up it goes</h2>",
     "Weather satellite reaches orbit"),
    # an <h2> after the article's first paragraph is a subheading, not the headline
    ("<title>Weather satellite reaches orbit</title>", f"<p>{PARAGRAPHS[0]}</p><h2>What comes next</h2>",
     "Weather satellite reaches orbit"),
])
def test_title_from_an_unconfirmed_h2_only_where_it_opens_the_article(head, heading, expected):
    body = f"<article>{heading}<p>{PARAGRAPHS[1]}</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).title == expected


@pytest.mark.parametrize("title, heading, expected", [
    # a heading that is the <title>'s leading part before its trail is confirmed by it
    ("Weather satellite reaches orbit - Space - Example", "Weather satellite reaches orbit", "Weather satellite reaches orbit"),
    ("Weather satellite reaches orbit | Space", "Weather satellite reaches orbit", "Weather satellite reaches orbit"),
    # a colon sets a kicker apart, not a trail: a heading showing only the kicker is not confirmed
    ("Launch: Weather satellite reaches orbit", "Launch", "Satellite in orbit"),
])
def test_title_confirms_a_heading_that_leads_it_before_a_trail(title, heading, expected):
    head = f"<title>{title}</title><meta property='og:title' content='Satellite in orbit'>"
    body = f"<article><p>Science desk</p><h2>{heading}</h2><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).title == expected


@pytest.mark.parametrize("title, expected", [
    # the trailing parts name sections the page links to
    ("Weather satellite reaches orbit - Space - Example News", "Weather satellite reaches orbit"),
    ("Weather satellite reaches orbit | Science | Space", "Weather satellite reaches orbit"),
    # a trailing part that is no link belongs to the headline
    ("Satellite launched - so it reaches orbit - Example News", "Satellite launched - so it reaches orbit"),
])
def test_title_from_the_title_tag_loses_the_section_trail(title, expected):
    head = f"<title>{title}</title><meta property='og:site_name' content='Example News'>"
    body = ("<header><nav><a href='/science'>Science</a> <a href='/science/space'>Space</a></nav></header>"
            f"<div><p>{PARAGRAPHS[0]}</p></div>")
    assert extract_article("https://news.example/x", page(body, head=head)).title == expected


def test_a_title_shown_only_in_the_breadcrumb_leaves_the_articles_heading_as_the_headline():
    # the trail's last item shows the declared title; the article's heading words it differently
    head = "<meta property='og:title' content='Weight-loss jab arrives - what it costs'>"
    body = ("<div class='breadcrumb'><a href='/'>Home</a><h1 class='breadcrumb__item'>Weight-loss jab arrives - "
            "what it costs</h1></div>"
            "<div class='teasers'><time class='teaser-time' datetime='2023-05-01T10:00+02:00'>1.5.2023</time></div>"
            "<article><div class='article__header'><h2 class='headline'>What the new weight-loss jab costs</h2></div>"
            "<div class='meta'><time class='teaser-stream-time' datetime='2023-06-29T15:04+02:00'>29.06.2023, 15:04"
            f"</time></div><p>{PARAGRAPHS[0]}</p></article>")
    assert extract_article("https://news.example/health/jab", page(body, head=head)).published == "2023-06-29T15:04+02:00"


def test_a_breadcrumb_showing_the_title_outranks_a_logo_as_the_headline():
    head = ("<meta property='og:title' content='Weather satellite reaches orbit'>"
            "<meta property='og:site_name' content='Orbit Weekly'>")
    body = ("<header><h1><a href='https://news.example/'>Orbit Weekly</a></h1><span class='date'>Friday, April 28,"
            " 2023</span></header><div class='breadcrumb'><a href='/news'>News</a><h1>Weather satellite reaches "
            f"orbit</h1></div><div class='meta'><span class='date'>March 3, 2024</span></div><p>{PARAGRAPHS[0]}</p>")
    assert extract_article("https://news.example/news/launch", page(body, head=head)).published == "March 3, 2024"


@pytest.mark.parametrize("headline, after", [
    # a card of another story after the text, an <article> with its own <h1>
    ("<h1>Weather satellite is in orbit</h1>",
     "<div class='rail'><article><h1>Another launch story</h1><p>By Max Muster</p></article></div>"),
    # a heading linking to its own page by a WordPress permalink is no logo
    ("<h1><a href='/?p=123'>Weather satellite is in orbit</a></h1>",
     "<article><h2>Another launch story</h2><p>By Max Muster</p></article>"),
])
def test_the_headline_element_is_the_articles_heading_not_a_cards_or_a_permalinked_one(headline, after):
    from crawler.extraction.article import parse_html
    from crawler.extraction.blocks import find_headline

    root = parse_html(page(f"<main>{headline}<p>By Jane Doe</p><p>{PARAGRAPHS[0]}</p></main>{after}"))
    found = find_headline(root, "Satellite reaches orbit, says agency")  # a title no heading shows
    assert found is not None and found.text_content() == "Weather satellite is in orbit"


def test_the_headline_is_found_by_the_title_not_the_first_h1():
    head = "<meta property='og:title' content='Weather satellite reaches orbit'>"
    body = ("<div class='crumbs'><h1>News</h1><span class='date'>Friday, April 28, 2023</span></div>"
            "<article><div class='top'><span class='date'>March 3, 2024</span>"
            "<h2>Weather satellite reaches orbit</h2></div>"
            f"<p>{PARAGRAPHS[0]}</p></article>")
    assert extract_article("https://news.example/news/launch", page(body, head=head)).published == "March 3, 2024"


@pytest.mark.parametrize("head, heading", [
    # every declared title reads as an outlet's name, and the only <h1> is the same name
    ("<title>Orbital Wire</title><meta property='og:site_name' content='Orbital Wire'>", "<h1>Orbital Wire</h1>"),
    ("<meta property='og:title' content='Orbital Wire'><meta property='og:site_name' content='Orbital Wire'>", ""),
])
def test_a_page_that_gives_a_title_anywhere_is_never_left_without_one(head, heading):
    article = extract_article("https://portal.example/news/a-b-c", page(f"{heading}<p>{PARAGRAPHS[0]}</p>", head=head))
    assert article.title == "Orbital Wire"


def test_a_syndicated_copy_keeps_where_it_was_fetched_and_the_canonical_it_declares():
    head = ("<title>Crew returns from the station - Portal</title><meta property='og:title' content='Crew returns "
            "from the station'><link rel='canonical' href='https://wire.example/2024/05/01/crew-returns/'>")
    article = extract_article("https://portal.example/news/crew-returns-from-the-station",
                              page(f"<article><h1>Crew returns from the station</h1><p>{PARAGRAPHS[0]}</p></article>", head))
    assert (article.url, article.fetched_url, article.title) == (
        "https://wire.example/2024/05/01/crew-returns/", "https://portal.example/news/crew-returns-from-the-station",
        "Crew returns from the station")

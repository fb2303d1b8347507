"""Extraction on small pages written for these tests: one behaviour per test."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from crawler.extraction import decode_html, extract_article

PARAGRAPHS = [
    "The rocket lifted off from the coastal pad shortly after dawn, carrying a weather satellite "
    "that engineers had spent six years building and testing in a clean room.",
    "Controllers confirmed that the upper stage separated on time, and the spacecraft unfolded its "
    "solar arrays about forty minutes later, well within the expected window.",
    "Mission managers said the first images would arrive next month, once the instruments have "
    "cooled and the team has finished a long list of calibration checks.",
]


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def article_html(extra_inside: str = "", extra_after: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""
      <header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
      <main><article class="post">
        <h1 class="entry-title">Weather satellite reaches orbit</h1>
        <div class="entry-meta">By <a rel="author" href="/author/jane">Jane Doe</a> on March 3, 2024</div>
        <div class="entry-content">{paragraphs}{extra_inside}</div>
      </article>{extra_after}</main>
      <footer>© Example Space News</footer>"""


def paragraphs_of(body: str) -> list[str]:
    return body.split("\n\n")


def test_wordpress_page_keeps_the_text_and_drops_comments_form_and_share_widget():
    share = """<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
               <ul><li><a href="https://twitter.com/share">Twitter</a></li><li><a href="#">Facebook</a></li></ul></div>
               <div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3>
               <p><a href="/other">Another launch story with a long enough title to look like text</a></p></div>"""
    comments = """<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on “Weather satellite”</h2>
        <ol class="comment-list"><li class="comment"><div class="comment-content"><p>Great news, I watched the
        launch from the beach and it was one of the most impressive things I have ever seen in my life.</p></div></li></ol>
        <div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>
        <form id="commentform"><p class="comment-notes">Your email address will not be published.</p>
        <textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div></div>"""
    article = extract_article("https://news.example/2024/03/03/weather-satellite/",
                              page(article_html(extra_inside=share, extra_after=comments)))
    assert paragraphs_of(article.body) == PARAGRAPHS
    for leak in ("Share this", "Leave a Reply", "Great news", "Your email address", "Another launch story"):
        assert leak not in article.body


@pytest.mark.parametrize("thread", [
    # a theme that names nothing: the permalinks tell the comments
    "<dl><dt><span>Aqua</span> <a href='#comment-86135'>October 28, 2010 at 11:21 am</a></dt>"
    "<dd><p>Very enjoyable and informative, I listened to the whole episode twice on my way to work today.</p></dd>"
    "<dt><span>GBendt</span> <a href='#comment-86186'>October 29, 2010 at 1:41 am</a></dt>"
    "<dd><p>Molten rock under high pressure can store huge amounts of gases, which may apply to the core.</p></dd></dl>",
    # threaded, with reply links only
    "<ol class='x9'><li><p>Very enjoyable and informative, I listened to the whole episode twice on my way to work."
    "</p><a href='?replytocom=11'>Reply</a><ul><li><p>Molten rock under high pressure can store huge amounts of "
    "gases, which may apply to the core.</p><a href='?replytocom=12'>Reply</a></li></ul></li>"
    "<li><p>Thanks for the podcast, the part about the impact plume and its molecules was the best.</p>"
    "<a href='?replytocom=13'>Reply</a></li></ol>",
    # each comment with its own list of actions, which names one comment only
    "<ol>" + "".join(f"<li><p>Reader {n} found the episode enjoyable and informative, and listened to all of it twice."
                     f"</p><ul><li><a href='#comment-{n}'>Permalink</a></li><li><a href='?replytocom={n}'>Reply</a>"
                     "</li></ul></li>" for n in (1, 2)) + "</ol>",
])
def test_reader_comments_in_unnamed_lists_stay_out_of_the_body(thread):
    article = extract_article("https://news.example/story", page(article_html(extra_inside=thread)))
    assert paragraphs_of(article.body) == PARAGRAPHS


def test_a_thread_longer_than_the_article_stays_out_of_the_body():
    comment = "A reader's comment, long enough to be read as text, that goes on and on about the launch. " * 4
    thread = "<ol class='k9'>" + "".join(f"<li><p>{comment}</p><a href='#comment-{n}'>link</a></li>"
                                         for n in range(6)) + "</ol>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=thread)))
    assert paragraphs_of(article.body) == PARAGRAPHS


def test_a_comment_longer_than_the_article_stays_out_of_an_unnamed_thread():
    long_comment = " ".join(PARAGRAPHS * 2)  # a <dd> after a <dt> linking to its comment is that comment
    thread = (f"<dl><dt>Aqua <a href='#comment-1'>October 28, 2010</a></dt><dd><p>{long_comment}</p></dd>"
              "<dt>GBendt <a href='#comment-2'>October 29, 2010</a></dt><dd><p>Thanks for the episode.</p></dd></dl>")
    body = f"<main><h1>Podcast: more on the impact</h1><p>{PARAGRAPHS[0]}</p>{thread}</main>"
    assert extract_article("https://news.example/story", page(body)).body == PARAGRAPHS[0]


def test_an_article_set_as_a_dd_beside_a_latest_comment_link_is_no_comment():
    article_dd = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    layout = (f"<dl><dt><a href='#comment-7'>Latest comment</a></dt><dd>{article_dd}</dd>"
              "<dt><a href='#comment-8'>Earlier comment</a></dt><dd>Nice.</dd></dl>")
    body = f"<h1>Weather satellite reaches orbit</h1>{layout}"
    assert paragraphs_of(extract_article("https://news.example/story", page(body)).body)[:3] == PARAGRAPHS


@pytest.mark.parametrize("article_item", [
    f"<article><h1>Weather satellite reaches orbit</h1>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article>",
    ''.join(f'<p>{p}</p>' for p in PARAGRAPHS),  # the headline above the list
    ''.join(f'<p>{p}</p>' for p in PARAGRAPHS) + "<a href='#comment-9'>Latest comment</a>",  # linking one
])
def test_a_layout_list_holding_the_article_and_its_comments_is_no_thread(article_item):
    comments = "".join(f"<li><p>A reader's comment number {n}, long enough to be read as text by anyone at all.</p>"
                       f"<a href='#comment-{n}'>link</a></li>" for n in (1, 2))
    body = f"<h1>Weather satellite reaches orbit</h1><ul><li>{article_item}</li>{comments}</ul>"
    assert paragraphs_of(extract_article("https://news.example/story", page(body)).body)[:3] == PARAGRAPHS


def test_headline_byline_and_captions_stay_out_of_the_body():
    figure = "<figure><img src='/a.jpg'><figcaption>The satellite before launch. Credit: Example</figcaption></figure>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=figure)))
    assert "Weather satellite reaches orbit" not in article.body
    assert "Jane Doe" not in article.body
    assert "Credit: Example" not in article.body


def test_body_keeps_subheadings_lists_and_quotes_as_separate_paragraphs():
    extra = ("<h2>What comes next</h2><ul><li>Instrument checks in April.</li><li>First images in May.</li></ul>"
             "<blockquote><p>We are thrilled with how smoothly the countdown went today.</p></blockquote>")
    article = extract_article("https://news.example/story", page(article_html(extra_inside=extra)))
    assert paragraphs_of(article.body)[len(PARAGRAPHS):] == [
        "What comes next", "Instrument checks in April.", "First images in May.",
        "We are thrilled with how smoothly the countdown went today."]


YOAST_GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "Organization", "@id": "https://news.example/#organization", "name": "Example Space News"},
        {"@type": "WebSite", "@id": "https://news.example/#website", "name": "Example Space News"},
        {"@type": "WebPage", "@id": "https://news.example/story/#webpage", "url": "https://news.example/story/",
         "datePublished": "2024-03-03T10:15:00-05:00", "dateModified": "2024-03-04T08:00:00-05:00",
         "inLanguage": "en-US"},
        {"@type": "Article", "@id": "https://news.example/story/#article", "headline": "Weather satellite reaches orbit",
         "author": {"@id": "https://news.example/#/schema/person/abc"},
         "publisher": {"@id": "https://news.example/#organization"},
         "articleSection": ["Launches"], "keywords": ["satellites", "weather"],
         "image": {"@id": "https://news.example/#primaryimage"}},
        {"@type": "ImageObject", "@id": "https://news.example/#primaryimage", "url": "https://news.example/sat.jpg"},
        {"@type": "Person", "@id": "https://news.example/#/schema/person/abc", "name": "Jane Doe"},
    ],
}


def test_yoast_graph_gives_author_dates_section_tags_image_and_type():
    head = f"<script type='application/ld+json' class='yoast-schema-graph'>{json.dumps(YOAST_GRAPH)}</script>"
    article = extract_article("https://news.example/story/", page("<p>Text.</p>", head=head, lang=""))
    assert article.authors == ["Jane Doe"]
    assert article.published == "2024-03-03T10:15:00-05:00"  # the text found, offset kept
    assert article.modified == "2024-03-04T08:00:00-05:00"
    assert article.section == "Launches"
    assert article.tags == ["satellites", "weather"]
    assert article.image == "https://news.example/sat.jpg"
    assert article.page_type == "Article"
    assert article.language == "en"


def test_broken_json_ld_is_read_or_skipped_without_error():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Broken but readable",}</script>'
            '<script type="application/ld+json">{ not json at all</script>')
    article = extract_article("https://news.example/x", page("<p>Text.</p>", head=head))
    assert article.page_type == "NewsArticle"
    assert article.title == "Broken but readable"


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


@pytest.mark.parametrize("head, expected", [
    ("<link rel='canonical' href='/2024/story/'>", "https://news.example/2024/story/"),
    ("<meta property='og:url' content='https://news.example/2024/story/'>", "https://news.example/2024/story/"),
    ("<link rel='canonical' href='https://news.example/'>", "https://news.example/2024/story/?utm_source=feed"),
    ("", "https://news.example/2024/story/?utm_source=feed"),
])
def test_url_is_the_declared_canonical_made_absolute_unless_it_names_the_front_page(head, expected):
    article = extract_article("https://news.example/2024/story/?utm_source=feed", page("<p>Text.</p>", head=head))
    assert article.url == expected
    assert article.fetched_url == "https://news.example/2024/story/?utm_source=feed"


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


def test_meta_names_match_whatever_separators_the_page_writes():
    head = "<meta property='article:published:time' content='2024-03-03T10:15:00+00:00'><meta name='DC.Creator' content='Jane Doe'>"
    article = extract_article("https://news.example/x", page("<p>Text.</p>", head=head))
    assert article.published == "2024-03-03T10:15:00+00:00"
    assert article.authors == ["Jane Doe"]


def test_site_name_as_byline_is_dropped_when_a_person_is_named():
    head = ("<meta property='og:site_name' content='Example Space News'>"
            "<meta name='author' content='Example Space News'><meta name='author' content='Jane Doe'>")
    assert extract_article("https://news.example/x", page("<p>Text.</p>", head=head)).authors == ["Jane Doe"]


@pytest.mark.parametrize("lang, head, hint, expected", [
    ("de-DE", "", None, "de"),
    ("", "<meta property='og:locale' content='fr_FR'>", None, "fr"),
    ("", "", "es", "es"),
    ("", "", None, None),
])
def test_language_comes_from_the_page_else_the_hint(lang, head, hint, expected):
    article = extract_article("https://news.example/x", page("<p>Text.</p>", head=head, lang=lang), language=hint)
    assert article.language == expected


def test_visible_date_text_is_kept_as_found_when_nothing_is_declared():
    body = ("<article><h1>Headline</h1><div class='byline'>By Jane Doe</div>"
            "<span class='date'>Published March 3, 2024 at 10:15 am ET</span><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body)).published == "March 3, 2024 at 10:15 am ET"


def test_declared_date_with_offset_is_preferred_over_one_without():
    head = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2024-03-03T10:15:00\"}</script>"
            "<meta property='article:published_time' content='2024-03-03T15:15:00+00:00'>")
    assert extract_article("https://news.example/x", page("<p>Text.</p>", head=head)).published == "2024-03-03T15:15:00+00:00"


@pytest.mark.parametrize("head, expected", [
    ('<script type="application/ld+json">{"@type": "CollectionPage", "name": "Launches"}</script>', "CollectionPage"),
    ('<script type="application/ld+json">[{"@type": "Organization", "name": "X"}, {"@type": "VideoObject", "name": "V"}]</script>',
     "VideoObject"),
    ("<meta property='og:type' content='article'>", "article"),
    ("", None),
])
def test_page_type_is_what_the_page_declares(head, expected):
    assert extract_article("https://news.example/x", page("<p>Text.</p>", head=head)).page_type == expected


def test_broken_html_still_gives_the_text():
    broken = ("<html><body><div class='story'><h1>Headline<p>" + "<p>".join(PARAGRAPHS)
              + "</div></span></td><p>Unclosed <b>bold")
    article = extract_article("https://news.example/x", broken)
    for paragraph in PARAGRAPHS:
        assert paragraph in article.body


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<?xml version='1.0' encoding='utf-8'?><html><body></body></html>"])
def test_empty_page_gives_an_empty_body_not_an_error(html):
    article = extract_article("https://news.example/x", html)
    assert article.body == ""
    assert article.url == "https://news.example/x"


def test_site_selectors_override_generic_extraction():
    body = article_html(extra_inside="<div class='promo-box'><p>Subscribe to our print edition today and save a lot of money on it.</p></div>")
    body += "<div class='kicker'>Launch report</div><span class='when' data-x='1'>2024-03-05</span>"
    selectors = {"title": ".kicker", "authors": ".entry-meta a", "published": ".when",
                 "body": ".entry-content", "remove": ".promo-box", "section": ".kicker", "tags": ".kicker"}
    article = extract_article("https://news.example/x", page(body), selectors=selectors)
    assert article.title == "Launch report"
    assert article.authors == ["Jane Doe"]
    assert article.published == "2024-03-05"
    assert article.section == "Launch report"
    assert article.tags == ["Launch report"]
    assert paragraphs_of(article.body) == PARAGRAPHS


def test_declared_article_body_finds_the_container_among_longer_blocks():
    text = PARAGRAPHS + [p.upper() for p in PARAGRAPHS]  # long enough to be trusted
    teasers = "".join(f"<div class='teaser'><p>{p}, with more words to make a teaser longer.</p></div>" for p in text * 2)
    declared = json.dumps({"@type": "NewsArticle", "articleBody": " ".join(text)})
    body = f"<div class='x'>{teasers}</div><div class='y'>" + "".join(f"<p>{p}</p>" for p in text) + "</div>"
    article = extract_article("https://news.example/x",
                              page(body, head=f"<script type='application/ld+json'>{declared}</script>"))
    assert paragraphs_of(article.body) == text


SCRIPT_RENDERED_SHELL = ("<header><a href='/'>Example Space News</a></header><main><h1>Weather satellite reaches orbit</h1>"
                         "<div id='article-body'>Loading…</div></main>")


def _flight_pushes(payload: str, split_at: int) -> str:
    """A Next.js page's payload as it streams it: a text row ("T") with its length in UTF-8 bytes,
    cut across two self.__next_f.push calls."""
    return "".join(f"<script>self.__next_f.push({json.dumps([1, chunk])})</script>"
                   for chunk in (payload[:split_at], payload[split_at:]))


def test_body_of_a_page_rendered_by_next_js_is_read_from_its_streamed_payload():
    paragraphs = [f"{p} ☄ – Ünïcode" for p in PARAGRAPHS]  # multi-byte text: the row length counts bytes
    markup = "".join(f"<p>{p}</p>" for p in paragraphs)
    payload = (f'0:{{"P":null}}\n2:I[43172,["static/chunks/app.js"],""]\n'
               f'5:T{len(markup.encode("utf-8")):x},{markup}'
               '6:["$","div",null,{"dangerouslySetInnerHTML":{"__html":"$5"}}]\n')
    html = page(SCRIPT_RENDERED_SHELL + _flight_pushes(payload, split_at=len(payload) // 2)
                + "<script>self.__next_f.push([1, broken</script>")  # a push that does not parse is passed over
    assert paragraphs_of(extract_article("https://news.example/x", html).body) == paragraphs


def test_body_of_a_page_rendered_from_its_json_page_data_is_read_from_it():
    data = {"props": {"pageProps": {"story": {"id": 7, "content": "".join(f"<p>{p}</p>" for p in PARAGRAPHS)}}}}
    html = page(SCRIPT_RENDERED_SHELL + f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}</script>")
    assert paragraphs_of(extract_article("https://news.example/x", html).body) == PARAGRAPHS


def test_a_short_brief_keeps_its_own_text_over_another_story_in_its_script_data():
    brief = "The launch slipped a day because of high winds over the pad, the company said."
    data = {"related": "".join(f"<p>Another story: {p}</p>" for p in PARAGRAPHS)}
    html = page(f"<article><h1>Launch slips a day</h1><p>{brief}</p></article>"
                f"<script type='application/json'>{json.dumps(data)}</script>")
    assert extract_article("https://news.example/x", html).body == brief


def test_a_teaser_shown_before_the_rest_loads_gives_way_to_the_text_in_the_script_data():
    teaser = PARAGRAPHS[0][:90] + "…"
    data = {"story": "".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
    html = page(f"<article><h1>Weather satellite reaches orbit</h1><p>{teaser}</p></article>"
                f"<script type='application/json'>{json.dumps(data)}</script>")
    assert paragraphs_of(extract_article("https://news.example/x", html).body) == PARAGRAPHS


@pytest.mark.parametrize("script", [
    '<script>self.__next_f.push([1,"5:T4,\\ud800abc"])</script>',
    "<script type='application/json'>" + "[" * 5000 + "]" * 5000 + "</script>",
], ids=["a lone surrogate in a payload", "JSON nested past the parser's depth"])
def test_hostile_script_data_is_passed_over(script):
    assert extract_article("https://news.example/x", page(SCRIPT_RENDERED_SHELL + script)).title == "Weather satellite reaches orbit"


def test_a_page_that_shows_its_text_keeps_it_over_longer_stories_in_its_script_data():
    others = [f"Another story, paragraph {n}: {p}" for n in range(3) for p in PARAGRAPHS * 2]
    data = {"related": ["".join(f"<p>{p}</p>" for p in others)]}
    html = page(article_html(extra_after=f"<script type='application/json'>{json.dumps(data)}</script>"))
    assert paragraphs_of(extract_article("https://news.example/x", html).body) == PARAGRAPHS


def test_decode_html_follows_the_declared_encoding():
    html = "<html><head><meta charset='windows-1252'></head><body><p>café – naïve</p></body></html>"
    assert "café – naïve" in decode_html(html.encode("cp1252"))
    assert "café" in decode_html(html.replace("windows-1252", "utf-8").encode("utf-8"), "text/html; charset=utf-8")


def test_cp1252_text_labelled_utf8_is_read_as_cp1252_but_utf8_text_with_a_stray_byte_stays_utf8():
    html = "<html><head><meta charset='utf-8'></head><body><p>NASA’s “Artemis” café – naïve</p></body></html>"
    assert "NASA’s “Artemis” café – naïve" in decode_html(html.encode("cp1252"), "text/html; charset=utf-8")
    mixed = html.encode("utf-8").replace(b"</p>", b" \xe9</p>")  # one byte UTF-8 cannot read
    assert "NASA’s “Artemis” café – naïve \ufffd" in decode_html(mixed, "text/html; charset=utf-8")


def test_text_labelled_utf8_in_another_encoding_is_read_by_its_own_meta_else_left_alone():
    page_in = "<html{lang}><head>{meta}</head><body><p>{text}</p></body></html>"
    polish = page_in.format(lang="", meta="<meta charset='iso-8859-2'>", text="Łódź źródło").encode("iso-8859-2")
    assert "Łódź źródło" in decode_html(polish, "text/html; charset=utf-8")
    # Russian in cp1251 would read as "Ðàêåòà" in cp1252: its replacement characters stay instead
    russian = page_in.format(lang=" lang='ru'", meta="", text="Ракета стартовала").encode("cp1251")
    assert "\ufffd" in decode_html(russian, "text/html; charset=utf-8")


def test_a_nul_byte_inside_a_word_is_dropped_not_made_a_replacement_character():
    body = f"<article><h1>Weather satellite reaches orbit</h1><p>The sat\x00ellites {PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/x", page(body)).body.startswith("The satellites ")


def test_text_after_html_comments_is_kept():
    # Some CMSs mark every fragment with comments: the paragraph text is a comment's tail.
    paragraphs = "".join(f"<p><!-- fragment -->{p}<!-- /fragment --></p>" for p in PARAGRAPHS)
    body = f"<article><h1>Weather satellite reaches orbit</h1><div class='richtext'>{paragraphs}</div></article>"
    assert paragraphs_of(extract_article("https://news.example/x", page(body)).body) == PARAGRAPHS


@pytest.mark.parametrize("dateline", ["", "Cape Canaveral. "])
def test_standfirst_declared_as_description_and_shown_above_the_text_joins_the_body(dateline):
    lead = "A weather satellite built over six years reached orbit on Sunday after a flawless launch."
    head = f"<meta name='description' content='{lead}'>"
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = (f"<article><header><h1>Weather satellite reaches orbit</h1><h2>A deck set as a sub-heading stays out</h2>"
            f"<p class='standfirst'>{dateline}{lead}</p></header><div class='entry-content'>{paragraphs}</div></article>")
    shown = paragraphs_of(extract_article("https://news.example/x", page(body, head=head)).body)
    assert shown == [dateline + lead, *PARAGRAPHS]


def test_deck_set_as_a_sub_heading_stays_out_of_the_body_even_when_declared():
    deck = "A weather satellite built over six years reached orbit on Sunday after a flawless launch."
    head = f"<meta name='description' content='{deck}'>"
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = (f"<article><header><h1>Weather satellite reaches orbit</h1><h2>{deck}</h2></header>"
            f"<div class='entry-content'>{paragraphs}</div></article>")
    assert paragraphs_of(extract_article("https://news.example/x", page(body, head=head)).body) == PARAGRAPHS


def test_caption_ending_in_a_bracketed_image_source_is_stripped_from_the_body():
    from pipelines.strip_boilerplate import strip_boilerplate

    caption = "Engineers prepare the satellite for launch (Image: Example Agency)"
    body = "\n\n".join([PARAGRAPHS[0], caption, PARAGRAPHS[1]])
    assert strip_boilerplate(body) == "\n\n".join(PARAGRAPHS[:2])


@pytest.mark.parametrize("box", [
    # hidden by a class, as a paywall teaser waiting for a script
    '<div class="intro-body__premium hidden"><p>This content is reserved for subscribers of the site today.</p></div>',
    # camelCase furniture names
    '<div class="c-inlineSignup"><p>Get the daily space news delivered to your inbox every single morning.</p></div>',
    '<div class="Article_elementPoll__x"><p>Should the agency launch more weather satellites next year?</p></div>',
    # a camelCase name that is one word ("InfoBox" is an infobox), named in a data- attribute
    '<div class="sc-x1" data-testid="InfoBox"><p>Follow our space news channel on your phone for updates.</p></div>',
    # a right rail and a most-read list in the article
    '<div class="rail-component"><h2>Most read in Space</h2><p>Astronaut shares a photo from orbit of the storm.</p></div>',
    '<section class="most-read"><p>Astronaut shares a photo from orbit of the storm over the ocean.</p></section>',
    '<div class="affiliate-box"><p>Buy the telescope we used for these photos at a partner store today.</p></div>',
    '<div class="follow-us"><p>Get the latest launch news on every social network we are on.</p></div>',
    # an inline gallery: slides and their captions
    '<div class="inline-gallery"><h3>The launch in pictures</h3><p>The rocket on the pad the night before.</p></div>',
    # a pull quote repeats a line of the text, set large
    '<blockquote class="article-pullquote"><p>It was the best launch we have seen.</p><cite>A flight director</cite></blockquote>',
    # Tailwind's typography opt-out: a box set inside the prose that is not prose
    '<div class="not-prose my-8"><h3>Love letters</h3><p>Every other Sunday: answers to your questions on love.</p></div>',
    # named as article text and as furniture, holding no prose: a box, not the text
    '<div class="article-body-newsletter"><p>Sign up today!</p><p>Our weekly space letter.</p></div>',
    # a reader feedback prompt, and an offer laid over the text
    '<p class="Feedback_root__x1">Spotted a mistake in this article? Tell the newsroom about it.</p>',
    '<div class="Player_overlayWrapper__x2"><p>Subscribe now and have every article read aloud to you.</p></div>',
    # unnamed, but a short line sending readers to an app store or a follow page
    '<p>Launch news on your phone? Get our app for <a href="https://play.google.com/store/apps/details?id=x">'
    'Android</a> and <a href="https://apps.apple.com/app/id1">iOS</a>.</p>',
    '<ul><li>Follow us on <a href="https://www.whatsapp.com/channel/0029Va">WhatsApp</a> for every launch.</li></ul>',
])
def test_furniture_inside_the_text_stays_out_of_the_body(box):
    article = extract_article("https://news.example/story", page(article_html(extra_inside=box)))
    assert paragraphs_of(article.body) == PARAGRAPHS


def test_only_the_line_holding_an_app_link_is_cut_from_lines_set_apart_by_breaks():
    lines = ["The countdown resumed at noon after a short hold.", "Launch news on your phone? Get our "
             "<a href='https://apps.apple.com/app/id1'>app</a>.", "The booster landed eight minutes later.",
             "Everyone in the control room was happy.",  # "app" inside a word
             "<a href='https://play.google.com/store/apps/x'><img src='/badge.png'></a>"]  # a badge names no line
    nested = ("<ul><li>Engineers will review the data this week.<ul><li>Follow us on "
              "<a href='https://www.whatsapp.com/channel/1'>WhatsApp</a>.</li></ul></li></ul>")
    article = extract_article("https://news.example/story",
                              page(article_html(extra_inside="<div>" + "<br><br>".join(lines) + "</div>" + nested)))
    assert paragraphs_of(article.body)[3:] == ["The countdown resumed at noon after a short hold.",
                                               "The booster landed eight minutes later.",
                                               "Everyone in the control room was happy.",
                                               "Engineers will review the data this week."]


def test_a_paragraph_that_only_mentions_an_app_stays_in_the_body():
    text = ("The agency also released a free tracking app, and within a day it was the most downloaded "
            "title on the <a href='https://apps.apple.com/app/id2'>App Store</a> in twelve countries, "
            "ahead of games, messaging services and streaming apps, according to figures the store published.")
    article = extract_article("https://news.example/story", page(article_html(extra_inside=f"<p>{text}</p>")))
    assert paragraphs_of(article.body)[-1].startswith("The agency also released a free tracking app")


def test_an_id_made_from_a_captions_words_does_not_name_the_element_as_furniture():
    # "promoted" in a slide's slug id is a word of its caption, not a promo box
    slide = ('<div class="slide" id="crew-promoted-the-mission-at-the-press-event-1">'
             '<p>The crew promoted the mission at a press event the day before the launch.</p></div>')
    article = extract_article("https://news.example/story", page(article_html(extra_inside=slide)))
    assert paragraphs_of(article.body)[-1] == "The crew promoted the mission at a press event the day before the launch."


LIVE_BLOG = {
    "@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "Launch day live",
    "datePublished": "2024-03-03T08:00:00Z",
    "liveBlogUpdate": [
        {"@type": "BlogPosting", "headline": f"Update {n}", "datePublished": f"2024-03-03T1{n}:00:00Z",
         "articleBody": "A long update body. " * 30} for n in range(3)
    ],
}


def test_live_blog_is_the_page_not_its_first_update_and_keeps_its_entries():
    intro = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    entries = "".join(
        f'<div class="live-entry"><h3>Update {n}</h3><p>At {n} o\'clock the crew reported that the countdown '
        f'was on schedule, and that the weather, the range and the vehicle were all ready.</p><p>Engineers, '
        f'meanwhile, finished fuelling the upper stage, checked the valves, and cleared the pad for launch.</p></div>'
        for n in range(3))
    html = page(f"<article><h1>Launch day live</h1><div class='intro'>{intro}</div>"
                f"<section class='entries'>{entries}</section></article>",
                head=f"<script type='application/ld+json'>{json.dumps(LIVE_BLOG)}</script>")
    article = extract_article("https://news.example/live", html)
    assert article.page_type == "LiveBlogPosting"
    assert article.published == "2024-03-03T08:00:00Z"
    assert paragraphs_of(article.body)[:len(PARAGRAPHS)] == PARAGRAPHS
    assert all(f"At {n} o'clock the crew" in article.body for n in range(3))
    assert "A long update body" not in article.body  # an update's declared text is not the page's


def test_a_teaser_linking_to_another_story_goes_but_a_standfirst_named_teaser_stays():
    linked = ('<div class="teaser"><h2><a href="/other">Heat wave closes the launch site for a week</a></h2>'
              '<p>Engineers wait for cooler days before they roll the rocket back out.</p></div>')
    standfirst = '<p class="article-teaser">The agency put a new weather satellite into orbit on Sunday morning.</p>'
    html = page(f"<article><h1>Weather satellite reaches orbit</h1>{standfirst}"
                f"<div class='entry-content'>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}{linked}</div></article>")
    body = extract_article("https://news.example/story", html).body
    assert "Heat wave" not in body and "Engineers wait" not in body
    assert paragraphs_of(body) == ["The agency put a new weather satellite into orbit on Sunday morning.", *PARAGRAPHS]


def test_a_heading_that_is_all_link_is_another_storys_title_and_stays_out():
    embed = ('<section class="inline-media"><h2><a href="/video/fireball">What caused the pad fire?</a></h2></section>'
             '<h2>What comes next</h2><p>Instrument checks begin in April, and the first images follow in May.</p>')
    body = extract_article("https://news.example/story", page(article_html(extra_inside=embed))).body
    assert "What caused the pad fire" not in body
    assert paragraphs_of(body)[-2:] == ["What comes next", "Instrument checks begin in April, and the first images follow in May."]


def test_the_person_the_byline_labels_editor_is_not_the_author_even_when_declared():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Rita Moreno"}}</script>'
    body = ("<article><h1>Headline</h1><div class='author-main'>Jane Doe</div>"
            "<div class='author-info'>Editor: <a class='author' href='/e'>Rita Moreno</a></div><p>Text.</p></article>")
    assert extract_article("https://news.example/x", page(body, head=head)).authors == ["Jane Doe"]


def test_an_editor_alone_is_still_named():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Rita Moreno"}}</script>'
    body = "<article><h1>Headline</h1><div class='author-info'>Editor: Rita Moreno</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).authors == ["Rita Moreno"]


@pytest.mark.parametrize("shown, lang, found", [
    ("입력 2025.05.15 16:33", "ko", "2025.05.15 16:33"),
    ("게재 2025.05.15. 오후 4:33", "ko", "2025.05.15. 오후 4:33"),
    ("2025年5月15日 16:33", "ko", "2025年5月15日 16:33"),
    ("Veröffentlicht am 15. Mai 2025, 16:33 Uhr", "de", "15. Mai 2025, 16:33 Uhr"),
    ("Publicado el 15 de mayo de 2025 a las 16:33", "es", "15 de mayo de 2025 a las 16:33"),
    ("Veröffentlicht: 15.05.25 16:33", "de", "15.05.25 16:33"),  # a two-digit year
    ("App v10.12.24 · 15.05.25 16:33", "de", "15.05.25 16:33"),  # not a version number
])
def test_visible_dates_in_other_languages_are_found_and_parsed(shown, lang, found):
    from pipelines.parse_dates import parse_date

    body = f"<article><h1>Headline</h1><div class='date'>{shown}</div><p>Text.</p></article>"
    article = extract_article("https://news.example/x", page(body, lang=lang))
    assert article.published == found
    assert parse_date(article.published, language=lang) == datetime(2025, 5, 15, 16, 33, tzinfo=timezone.utc)


@pytest.mark.parametrize("declared", ["기사입력 2025-05-15 16:33", "Stand: 2025.05.15 16:33 Uhr", "202505151633"])
def test_a_declared_date_behind_a_label_dateparser_does_not_know_still_parses(declared):
    from pipelines.parse_dates import parse_date

    assert parse_date(declared, language="ko") == datetime(2025, 5, 15, 16, 33, tzinfo=timezone.utc)


def test_the_headlines_article_wins_over_a_longer_list_of_other_stories_beside_it():
    others = "".join(
        f"<article class='post'><p>Another story number {n}, with a longer text about a different launch, "
        f"a different crew, a different rocket, and plenty of words, commas, and clauses, so that it scores, "
        f"on its own, about as much as the whole of the article the page is about, or more.</p></article>"
        for n in range(6))
    html = page(f"<article class='post'><h1>Weather satellite reaches orbit…</h1>"
                f"{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article>"
                f"<article class='post'><h2>You may also like</h2>{others}</article>",
                head="<meta property='og:title' content='Weather satellite reaches orbit...'>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == PARAGRAPHS


def test_standfirst_named_as_such_joins_the_body_even_when_not_declared():
    lead = "A weather satellite built over six years reached orbit on Sunday after a flawless launch."
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = (f"<article><header><h1>Weather satellite reaches orbit</h1><div class='article__lead'>{lead}</div></header>"
            f"<div class='entry-content'>{paragraphs}</div></article>")
    assert paragraphs_of(extract_article("https://news.example/x", page(body)).body) == [lead, *PARAGRAPHS]


def test_overflow_hidden_is_layout_not_hiding():
    table = "<div class='table-wrap overflow-x-hidden'><p>Launch mass 1,200 kg; orbit 705 km; design life 10 years.</p></div>"
    later = "<div class='is-hidden'><p>A paragraph of the next story that a script would show later on.</p></div>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=table + later)))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "Launch mass 1,200 kg; orbit 705 km; design life 10 years."]


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


@pytest.mark.parametrize("furniture", [
    "Advert",
    "This slideshow requires JavaScript.",
    "[button link=\"https://news.example/submit\" type=\"big\"] Send us your review[/button]",
    "05/10/2018 - Posted by: Jane Doe - Category: Launches - Tags: rocket satellite",
    "Start your day with the Morning Orbit. Sign up for the free daily newsletter.",
    "Stand: 08.07.2026 05:00 Uhr",
    "Updated March 3, 2024, 10:15 a.m. ET",
    "Reporting by Jane Doe in Paris; Writing by John Roe; Editing by Ann Poe",
    "With reports from Example Wire and The Daily Example",
    "mit dpa",
    "Follow our full coverage of the launch season at https://news.example/launches",
    "More Example Wire space news: https://news.example/space and https://social.example/space",
])
def test_boilerplate_lines_left_in_the_text_are_stripped(furniture):
    from pipelines.strip_boilerplate import strip_boilerplate

    body = "\n\n".join([PARAGRAPHS[0], furniture, *PARAGRAPHS[1:]])
    assert strip_boilerplate(body).split("\n\n") == PARAGRAPHS


def test_a_closing_paragraph_asking_to_follow_its_writer_is_a_bio():
    from pipelines.strip_boilerplate import strip_boilerplate

    bio = ("Jane Doe's book about weather satellites, \"Eyes Above\" (Example Press, 2023), is out now. "
           "Follow her on Twitter @janedoe. Follow us @examplespace or on Facebook.")
    assert strip_boilerplate("\n\n".join([*PARAGRAPHS, bio])).split("\n\n") == PARAGRAPHS
    closing = "Follow the satellite's path on the agency's tracking page, which updates every minute."
    assert strip_boilerplate("\n\n".join([*PARAGRAPHS, closing])).split("\n\n")[-1] == closing


def test_a_story_card_set_as_an_article_inside_the_text_stays_out():
    card = ("<article class='card'><h3>Crew named for the next flight</h3>"
            "<p>Four astronauts will fly the capsule on its second crewed mission next spring.</p></article>")
    paragraphs = [f"<p>{p}</p>" for p in PARAGRAPHS]
    html = page(f"<article><h1>Weather satellite reaches orbit</h1><div class='entry-content'>"
                f"{paragraphs[0]}{card}{''.join(paragraphs[1:])}</div></article>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == PARAGRAPHS


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


@pytest.mark.parametrize("heading", ["Mehr zum Thema", "Czytaj także", "【関連記事】"])
def test_a_related_heading_and_the_headlines_after_it_are_stripped(heading):
    from pipelines.strip_boilerplate import strip_boilerplate

    body = "\n\n".join([*PARAGRAPHS, heading, "Crew named for the next flight", "Rocket engine test ends early"])
    assert strip_boilerplate(body).split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize("box", [
    "<div class='article-image'><img src='/a.jpg'><p>The satellite in the clean room before launch. (Photo: Example)</p></div>",
    "<div class='leadphoto'><picture><img src='/a.jpg'></picture><span>The launch pad at dawn.</span></div>",
    # no name, but the image comes first and a caption's worth of text follows it
    "<p><img src='/a.jpg'><br><em>The satellite in the clean room before launch.</em></p>",
    "<div class='x7'><picture><img src='/a.jpg'></picture><div>The launch pad at dawn</div><div>Example Agency</div></div>",
])
def test_an_image_box_without_the_figure_tag_is_a_caption_not_text(box):
    article = extract_article("https://news.example/story", page(article_html(extra_inside=box)))
    assert paragraphs_of(article.body) == PARAGRAPHS


def test_a_subheading_linking_to_another_story_keeps_the_text_under_it():
    later = [p.upper() for p in PARAGRAPHS]
    body = ("<article><h1>Weather satellite reaches orbit</h1><div class='x1'>"
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
            + "<h3>Background: <a href='/2024/01/budget'>the budget fight</a></h3>"
            + "".join(f"<p>{p}</p>" for p in later) + "</div></article>")
    article = extract_article("https://news.example/2024/03/launch", page(body))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "Background: the budget fight", *later]


@pytest.mark.parametrize("box, text", [
    # WordPress sets a linked image at the start of a paragraph of text
    ("<p><a href='/uploads/chart.jpg'><img src='/uploads/chart.jpg' alt=''></a>One possible explanation is that the "
     "estimates rest on no evidence at all.</p>", "One possible explanation is that the estimates rest on no evidence at all."),
    ("<div class='x7'><a href='/photo/1'><img src='/a.jpg'></a><p>The instrument team will publish its first maps in "
     "June.</p></div>", "The instrument team will publish its first maps in June."),
    # a Bootstrap media object sets text beside its image
    ("<div class='media'><img class='media-object' src='/a.jpg'><div class='media-body'><p>The instrument team will "
     "publish its first maps in June.</p></div></div>", "The instrument team will publish its first maps in June."),
])
def test_text_set_beside_or_after_an_image_is_kept(box, text):
    article = extract_article("https://news.example/story", page(article_html(extra_inside=box)))
    assert paragraphs_of(article.body)[-1] == text


def test_a_sentence_with_a_date_is_text_not_a_date_line():
    from pipelines.strip_boilerplate import strip_boilerplate

    body = "\n\n".join([*PARAGRAPHS, "The next launch is set for March 3, 2024."])
    assert strip_boilerplate(body).split("\n\n")[-1] == "The next launch is set for March 3, 2024."


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


@pytest.mark.parametrize("url, shown, found", [
    ("https://news.example/world/20230503/881.html", "<span class='time'>08:30</span> 03/05/2023",
     "2023-05-03T08:30"),  # read day first
    ("https://news.example/2023/03/05/launch/", "<span class='date'>03/05/2023, 08:30</span>",
     "2023-03-05T08:30"),  # read month first
    ("https://news.example/2023/03/05/launch/", "<span class='date'>03/05/23 08:30</span>",
     "2023-03-05T08:30"),  # with a two-digit year
    ("https://news.example/2023/03/05/launch/", "<span class='date'>Aktualisiert 06.03.23 · Erstellt "
     "05.03.2023, 08:30</span>", "2023-03-05T08:30"),  # the URL's day, not the first date shown
])
def test_the_urls_day_skips_the_header_clock_and_settles_day_month_order(url, shown, found):
    body = (f"<div class='header'><span class='clock-time'>14/5/2023 09:12</span></div>"
            f"<article><h1>Headline</h1><div class='info'>{shown}</div><p>Text.</p></article>")
    assert extract_article(url, page(body)).published == found


@pytest.mark.parametrize("byline, expected", [
    ("<a rel='author' href='/a/jd'>Jane Doe</a> <a rel='author' href='/a/jr'>John Roe</a>", ["Jane Doe", "John Roe"]),
    # a name beside the writer in an element only named like a byline may be anyone (a photographer)
    ("<span class='author'>Jane Doe</span> <span class='author'>Max Muster</span>", ["Jane Doe"]),
])
def test_co_writers_marked_up_as_authors_join_the_one_declared(byline, expected):
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}</script>'
    body = f"<article><h1>Headline</h1><div class='meta'>{byline}</div><p>Text.</p></article>"
    assert extract_article("https://news.example/x", page(body, head=head)).authors == expected


MORE_PARAGRAPHS = [
    f"Update {n}: the flight team, working in shifts around the clock, checked the spacecraft's power, "
    f"heaters, and radio links, and reported that every subsystem was behaving as it had in testing."
    for n in range(16)
]


def test_paragraphs_set_before_the_container_in_its_paragraph_shape_join_it():
    # The introduction sits beside a "full text" box, in the same <div class> as the paragraphs inside it.
    intro = "The agency's new weather satellite reached orbit on Sunday after a flawless launch from the coast."
    inside = "".join(f"<div class='story-paragraph'>{p}</div>" for p in MORE_PARAGRAPHS)
    html = page(f"<article><h1>Weather satellite reaches orbit</h1><div class='story'>"
                f"<div class='story-paragraph'>{intro}</div><div class='full-text'>{inside}</div>"
                f"<div class='promo-box'>Get our space app for your phone and read every launch story on the go.</div>"
                f"</div></article>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == [intro, *MORE_PARAGRAPHS]


def test_declared_text_split_over_sibling_containers_is_all_kept_but_not_a_header_repeating_it():
    first = "The agency's new weather satellite reached orbit on Sunday after a flawless launch from the coast."
    declared = {"@context": "https://schema.org", "@type": "NewsArticle",
                "articleBody": " ".join([first, *MORE_PARAGRAPHS])}
    rest = "".join(f"<p>{p}</p>" for p in MORE_PARAGRAPHS)
    html = page(f"<article><h1>Weather satellite reaches orbit</h1><div class='header'><p>{MORE_PARAGRAPHS[0]}</p></div>"
                f"<div class='body-text'><p>{first}</p></div><div class='body-text locked'>{rest}</div></article>",
                head=f"<script type='application/ld+json'>{json.dumps(declared)}</script>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == [first, *MORE_PARAGRAPHS]


def test_a_paragraph_set_after_the_links_to_other_stories_is_not_text_but_one_next_to_the_text_is():
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    after = "The crew will hold a press conference on Monday to talk about the first weeks in orbit."
    policy = "Please keep your comments on topic. Authors are responsible for what they write, and abuse is removed."
    html = page(f"<article><h1>Weather satellite reaches orbit</h1><div class='entry-content'>{paragraphs}</div>"
                f"<p>{after}</p><div class='pager'>Previous story: <a href='/a'>Heat wave closes the launch site</a>"
                f" Next story: <a href='/b'>Crew named for the next flight of the capsule</a></div>"
                f"<p>{policy}</p></article>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == [*PARAGRAPHS, after]


def test_header_lines_the_container_starts_with_stay_out_but_a_first_subheading_stays():
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    header = ("<div class='x1'>Space weather</div><h2>Space weather – Weather satellite reaches orbit</h2>"
              "<div class='x2'>03.03.2024, 10:15</div>")
    html = page(f"<main><h1>Weather satellite reaches orbit</h1><div class='story'>{header}{paragraphs}</div></main>",
                head="<meta property='og:title' content='Weather satellite reaches orbit'>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == PARAGRAPHS
    html = page(f"<main><h1>Weather satellite reaches orbit</h1><div class='story'><h2>Why it matters</h2>"
                f"{paragraphs}</div></main>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == ["Why it matters", *PARAGRAPHS]


def test_a_post_quoted_with_a_networks_embed_code_is_text_even_in_a_widget_box():
    post = ("<div class='article-widget'><blockquote class='twitter-tweet'><p>The fairing separated cleanly, "
            "and the satellite is healthy in orbit.</p></blockquote></div>")
    article = extract_article("https://news.example/story", page(article_html(extra_inside=post)))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "The fairing separated cleanly, and the satellite is healthy in orbit."]


def test_a_quotation_embedded_in_a_widget_box_is_text_but_a_widget_of_links_is_not():
    quote = ("<section class='widget post-embed'><blockquote class='quoted-post'><p>The fairing separated cleanly, "
             "and the satellite is healthy in orbit.</p></blockquote></section>")
    widget = "<section class='widget-box'><blockquote><p>Read our launch schedule for the whole year.</p></blockquote></section>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=quote + widget)))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "The fairing separated cleanly, and the satellite is healthy in orbit."]


_LEAD = "A weather satellite built over six years reached orbit on Sunday after a flawless launch."
_INTRO = "It is the agency's first launch this year."
_PROMO = "Get the space news app for your phone and read every launch story while you are on the go."


@pytest.mark.parametrize("body, head, opening", [
    # the first sentence-like paragraph between the headline and the text, not a promo above them
    (f"<div class='top'><p class='x'>{_PROMO}</p></div><article><header><h1>Weather satellite reaches orbit"
     f"</h1><p class='y'>{_LEAD}</p><p class='z'>Reading time: 3 min</p></header>", "", [_LEAD]),
    # the declared standfirst, and the sentences between it and the text's box
    (f"<article><header><h1>Weather satellite reaches orbit</h1><p class='deck'>{_LEAD}</p></header>"
     f"<div class='intro'><p>{_INTRO}</p><p>Updated 3 March 2024</p></div>",
     f"<meta name='description' content='{_LEAD}'>", [_LEAD, _INTRO]),
])
def test_a_standfirst_set_above_the_text_opens_the_body(body, head, opening):
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f"{body}<div class='entry-content'>{paragraphs}</div></article>", head=head)
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == [*opening, *PARAGRAPHS]


def test_a_headline_shown_in_parts_inside_one_heading_stays_out_whole():
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f"<div class='story'><h2><span class='kicker'>After a long wait</span>"
                f"<div class='title'>Weather satellite reaches orbit</div></h2>{paragraphs}</div>",
                head="<meta property='og:title' content='Weather satellite reaches orbit'>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == PARAGRAPHS


def test_a_heading_linking_away_that_introduces_prose_is_a_subheading_but_one_linking_to_a_story_is_not():
    review = "The small refractor shows the rings of Saturn on a clear night and packs into a single bag."
    teaser = "Engineers stopped the firing after forty seconds when a sensor reported a pressure drop."
    product = f"<h3><a href='https://shop.example/telescope'>Backyard Telescope 80</a></h3><p>{review}</p>"
    story = f"<h3><a href='/2024/03/02/engine-test'>Rocket engine test ends early</a></h3><p>{teaser}</p>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=product + story)))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "Backyard Telescope 80", review, teaser]


def test_the_text_box_opening_with_a_kicker_and_a_deck_below_a_standfirst_starts_at_its_text():
    lead = "A weather satellite built over six years reached orbit on Sunday after a flawless launch."
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f"<article><header><h1>Weather satellite reaches orbit</h1><p class='standfirst'>{lead}</p></header>"
                f"<div class='entry-content'><h3>Space</h3><h2>Launch went well – arrays open – images next month</h2>"
                f"<h4>Orbit</h4>{paragraphs}</div></article>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == [lead, "Orbit", *PARAGRAPHS]


@pytest.mark.parametrize(("first_line", "is_text"), [("03.03.2024 – 08:15 Uhr | 2 Min.", False),
                                                     ("A flawless launch.", True)])
def test_a_short_line_opening_the_text_is_text_only_when_it_is_a_sentence_of_words(first_line, is_text):
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f"<article><h1>Weather satellite reaches orbit</h1>"
                f"<div class='entry-content'><p>{first_line}</p>{paragraphs}</div></article>")
    expected = [first_line, *PARAGRAPHS] if is_text else PARAGRAPHS
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == expected


def test_a_box_named_shared_is_a_shared_part_of_the_template_not_a_share_bar():
    shared = "<div class='shared-top'><p>The crew will hold a press conference on Monday about the first weeks.</p></div>"
    share = "<div class='share-bar'><p>Share this story with your friends on every network you use today.</p></div>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=shared + share)))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "The crew will hold a press conference on Monday about the first weeks."]


def test_a_sentence_that_links_most_of_its_words_is_text_but_a_linked_list_item_is_not():
    linked = ("<p>The <a href='/a'>agency's weather satellite programme</a> has been "
              "<a href='/b'>delayed twice since its first budget was approved</a>.</p>")
    item = "<ul><li><a href='/c'>Heat wave closes the launch site for a week as engineers wait for cooler days</a>.</li></ul>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=linked + item)))
    assert paragraphs_of(article.body) == [
        *PARAGRAPHS, "The agency's weather satellite programme has been delayed twice since its first budget was approved."]


def test_a_paragraph_with_an_image_after_its_first_words_is_text():
    paragraph = "<p>The crew waved <img src='/wave.png' alt=''> from the hatch before the launch on Sunday.</p>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=paragraph)))
    assert paragraphs_of(article.body)[-1] == "The crew waved from the hatch before the launch on Sunday."


@pytest.mark.parametrize("label", ["<p>Topics</p>", "<div>DON'T MISS</div>", "<p>Mehr zum Thema</p>"])
def test_a_widget_label_left_in_the_text_stays_out(label):
    article = extract_article("https://news.example/story", page(article_html(extra_inside=label + "<p>Last words.</p>")))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "Last words."]


def test_a_standfirst_set_as_a_list_of_key_points_joins_the_body_whole():
    points = ["A weather satellite built over six years reached orbit on Sunday morning.",
              "Its instruments will be switched on one by one over the next month.",
              "The first images of the storm season are expected in the spring."]
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f"<article><header><h1>Weather satellite reaches orbit</h1><ul class='points'>"
                f"{''.join(f'<li>{p}</li>' for p in points)}</ul></header>"
                f"<div class='entry-content'>{paragraphs}</div></article>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == [*points, *PARAGRAPHS]


@pytest.mark.parametrize("paragraph", [
    # text for screen readers only is not part of the text
    "<p>The agency published <a href='/report'>its report<span class='visually-hidden'> (opens in a new "
    "window)</span></a> on the launch anomaly, and the board accepted every one of its findings.</p>",
    # runs of spaces of any kind collapse to one, and lone spaces stay
    "<p>The\tagency\u00a0 published \u2009 its report\u200b on the launch anomaly,  and the board "
    "accepted every one of its findings.</p>",
])
def test_the_text_is_what_a_reader_sees(paragraph):
    article = extract_article("https://news.example/story", page(article_html(extra_inside=paragraph)))
    assert paragraphs_of(article.body)[-1] == ("The agency published its report on the launch anomaly, and the board "
                                               "accepted every one of its findings.")


def test_byline_paths_select_what_their_css_selectors_select():
    from lxml.cssselect import CSSSelector

    from crawler.extraction.article import parse_html
    from crawler.extraction.authors import _BYLINE_SELECTORS

    css = ('[itemprop="author"] [itemprop="name"]', '[itemprop="author"]', '[rel="author"]', '.author.vcard',
           '.vcard .fn', *(f'[class*="{part}"]' for part in ("byline", "by_line", "author-name", "authorName", "author",
                                                             "autor", "auteur", "writer", "contributor")),
           '[id*="author"]', '[itemprop="creator"]', *(f'a[href*="{part}"]' for part in ("/author/", "/authors/", "/autor/", "/autoren/",
                                                                        "/auteur/")))
    root = parse_html(
        "<html><body><div class='vcard fn'>Photo Desk</div><div class='vcard'><span class='fn'>Jane Doe</span>"
        "<div class=' fn\tlarge'>John Roe</div></div><p itemprop='author' class='author\nvcard'><b itemprop='name'>"
        "Ann Poe</b></p><p itemprop='author name'>Max Moe</p><a href='/author/ann' rel='author'>Ann</a>"
        "<span class='post-authorName byline writer'>By Ann</span><a href='/autoren/max/'>Max</a><span id='authors'>Max Moe</span>"
        "<span itemprop='creator' class='autor auteur by_line c-contributors'>Max</span><div href='/author/x'>not a link</div>"
        "</body></html>")
    assert len(_BYLINE_SELECTORS) == len(css)
    for path, selector in zip(_BYLINE_SELECTORS, css):
        assert path(root) == CSSSelector(selector, translator="html")(root), selector


@pytest.mark.parametrize("elsewhere", [
    "<ol class='comment-list'><li><span class='comment-date'>March 9, 2024 at 4:31 pm</span> Great!</li></ol>",
    "<div class='related-posts'><span class='date'>March 9, 2024</span><a href='/other'>Another launch</a></div>",
    "<a href='/news/other-story'><span>Another launch, another satellite</span><span class='date'>March 9, 2024</span></a>",
])
def test_a_date_of_a_comment_or_another_story_is_not_the_articles(elsewhere):
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 20)  # comments and teasers follow the whole text
    body = f"<div class='page'><article><div class='head'><h1>Headline</h1><p>Lead.</p></div>{text}</article>{elsewhere}</div>"
    assert extract_article("https://news.example/news/launch", page(body)).published is None


def test_a_declared_time_in_a_related_story_is_not_the_articles():
    related = ("<aside><article><a href='/news/other'>Other</a>"
               "<time itemprop='datePublished' datetime='2024-03-09T10:00:00Z'>March 9</time></article></aside>")
    body = (f"<main><article><header><h1>Headline</h1><time datetime='2024-03-03T08:00:00Z'>March 3</time></header>"
            f"<p>{PARAGRAPHS[0]}</p></article>{related}</main>")
    assert extract_article("https://news.example/news/launch", page(body)).published == "2024-03-03T08:00:00Z"


@pytest.mark.parametrize("line, found", [
    ("<span>10.11.2025 17:59</span>", "10.11.2025 17:59"),  # a dateline no class names
    ("<span>2025年1月14日 01時28分</span>", "2025年1月14日 01時28分"),
    ("<p>Posted 3 hours ago</p>", "3 hours ago"),
    ("<span>19.04.2026 19:45</span><span>Publ</span>", "19.04.2026 19:45"),  # a word after it is no zone
    ("<div class='byline-timestamp'> 2024-02-14T16:15:30Z </div>", "2024-02-14T16:15:30Z"),  # shown before a script formats it
    # a <time> whose value gives only the day shows its time in the text
    ("<time datetime='2024-02-14'>Published 14/02/2024 - 16:17</time>", "2024-02-14T16:17"),
    ("<time datetime='2024-04-03'>03/04/2024, 4:17 pm</time>", "2024-04-03T16:17"),  # the value settles the day
    ("<time datetime='2024-13-45'>Published 13/45/2024 - 16:17</time>", "2024-13-45"),  # no day: kept as found
    # a text that says more of its time than a bare clock is read whole
    ("<time datetime='2024-02-14'>February 14, 2024, 4:17 pm ET</time>", "February 14, 2024, 4:17 pm ET"),
    ("<time datetime='2024-02-14'>2024.02.14 오후 4:17</time>", "2024.02.14 오후 4:17"),
])
def test_a_date_on_a_line_just_after_the_headline_is_found(line, found):
    body = f"<article><h1>Headline</h1><div class='x1'>{line}</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/news/launch", page(body)).published == found


def test_a_malformed_link_around_a_date_is_passed_over():
    body = (f"<div><h1>Headline</h1></div><div><p>{PARAGRAPHS[0]}</p><a href='http://[x'>A longer link text around "
            f"the date here <time datetime='2024-03-05'>5 March</time></a></div>")
    assert extract_article("https://news.example/launch", page(body)).published == "2024-03-05"  # no link to tell


def test_a_time_value_that_is_no_date_gives_way_to_the_urls_day():
    body = f"<article><h1>Headline</h1><time datetime='2024-13-45T10:00'>soon</time><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/2024/04/03/launch", page(body)).published == "2024-04-03"


def test_the_url_settles_the_order_of_a_numeric_date_set_apart_from_its_time_by_a_dash():
    body = f"<article><h1>Headline</h1><div class='x1'>03/04/2024 - 16:17</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/2024/04/03/launch", page(body)).published == "2024-04-03T16:17"


def test_a_relative_date_counts_back_from_the_fetch():
    from pipelines.parse_dates import parse_date

    body = f"<article><h1>Headline</h1><div class='x1'>Published 3 hours ago</div><p>{PARAGRAPHS[0]}</p></article>"
    shown = extract_article("https://news.example/news/launch", page(body)).published
    fetched = datetime(2024, 3, 3, 12, 0, tzinfo=timezone.utc)
    assert parse_date(shown, relative_base=fetched) == datetime(2024, 3, 3, 9, 0, tzinfo=timezone.utc)


def test_the_date_by_the_headline_wins_over_the_header_clock_before_it():
    body = (f"<header><span class='today-date'>Tuesday, November 25 2025</span></header>"
            f"<article><h1>Headline</h1><p><span>November 6, 2025</span> Jane Doe</p><p>{PARAGRAPHS[0]}</p></article>")
    assert extract_article("https://news.example/news/launch", page(body)).published == "November 6, 2025"


@pytest.mark.parametrize("meta", [
    "<span class='date'>Updated March 9, 2024 at 4:31 pm</span><span class='date'>Published March 3, 2024</span>",
    "<span class='date'>Published March 3, 2024 · Updated March 9, 2024</span>",
])
def test_a_date_labelled_as_an_update_is_not_the_publication(meta):
    body = f"<article><h1>Headline</h1><div class='meta'>{meta}</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/news/launch", page(body)).published == "March 3, 2024"


def test_an_update_date_is_kept_when_it_is_the_only_one_shown():
    body = f"<article><h1>Headline</h1><div class='date'>Updated March 9, 2024</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/news/launch", page(body)).published == "March 9, 2024"


@pytest.mark.parametrize("shown, found", [
    ("<span class='date'>Updated 2010 GMT March 14, 2021</span>", "2021-03-08"),  # another day than the URL's
    ("<span class='x'>Published 1 day ago</span>", "2021-03-08"),  # the URL's day is surer than "1 day ago"
    ("<span class='date'>March 8, 2021, 11:15 GMT</span>", "March 8, 2021, 11:15 GMT"),
])
def test_the_urls_day_rules_out_other_days_and_stands_in_for_none(shown, found):
    body = f"<article><h1>Headline</h1><div class='byline'>{shown}</div><p>{PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/2021/03/08/royal-interview/", page(body)).published == found


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


OFFER = ("Subscribe today for unlimited access to every story, our daily newsletters and the full archive "
         "of the print edition on any device.")
REFRAIN = "Go for launch, the controller said."


@pytest.mark.parametrize("text, expected", [
    # an offer box the page repeats for each screen size: shown once
    ([PARAGRAPHS[0], OFFER, PARAGRAPHS[1], OFFER, PARAGRAPHS[2]], [PARAGRAPHS[0], OFFER, *PARAGRAPHS[1:]]),
    # a standfirst repeated as the first paragraph: said once
    ([PARAGRAPHS[0], *PARAGRAPHS], PARAGRAPHS),
    # a short line said twice is the text's own (a refrain)
    ([PARAGRAPHS[0], REFRAIN, PARAGRAPHS[1], REFRAIN], [PARAGRAPHS[0], REFRAIN, PARAGRAPHS[1], REFRAIN]),
])
def test_a_paragraph_shown_again_in_the_text_box_of_a_page_without_names_is_kept_once(text, expected):
    paragraphs = "".join(f'<div class="css-1x2y3z"><p class="css-9q8w7e">{p}</p></div>' for p in text)
    html = page(f'<div class="css-a1b2c3"><h1 class="css-0f9e8d">Weather satellite reaches orbit</h1>'
                f'<div class="css-4d5e6f">{paragraphs}</div></div>')
    assert paragraphs_of(extract_article("https://news.example/satellite", html).body) == expected


@pytest.mark.parametrize("url, tags, zone", [
    ("https://www.zeitung.at/politik/x", ["de"], "Europe/Vienna"),  # the domain's country
    ("https://www.journal.ch/x", ["fr-FR"], "Europe/Zurich"),  # the domain outweighs the language
    ("https://news.example.co.uk/x", [], "Europe/London"),
    ("https://news.example/x", ["en-GB"], "Europe/London"),  # a language tag's region
    ("https://news.example/x", ["", "de_AT"], "Europe/Vienna"),  # og:locale's form
    ("https://news.example/x", ["ko"], "Asia/Seoul"),  # where the language is mostly spoken
    ("https://startup.io/x", ["ja"], "Asia/Tokyo"),  # .io says nothing of a country
    ("https://news.example/x", ["en"], None),  # the United States keep many clocks
    ("https://news.example/x", ["es"], None),  # so does Spain, with the Canaries
    ("https://nouvelles.example.ca/x", ["fr"], None),  # and Canada: no French guess for a Canadian site
    ("https://news.example/x", [], None),
    ("https://news.example/x", ["fr-CA", "fr"], None),  # a region outweighs the language: Canada, not France
    ("https://www.zeitung.at./x", ["de"], "Europe/Vienna"),  # a fully qualified host
    ("https://space.example.eu/x", ["de-DE"], "Europe/Berlin"),  # .eu names no country
])
def test_the_zone_of_a_page_comes_from_its_domain_or_language_when_one_clock_fits(url, tags, zone):
    from crawler.extraction.zone import page_zone

    assert page_zone(url, tags) == zone


def test_a_local_time_shown_without_offset_is_read_in_the_zone_of_the_pages_country():
    from scrapy.utils.project import get_project_settings

    from crawler.sitekit.offline import OfflineRun

    def dated_page(paragraphs: list[str], lang: str) -> str:
        return page("<article><h1>Satellite reaches orbit</h1><div class='date'>15.05.2025, 16:33 Uhr</div>"
                    + "".join(f"<p>{p}</p>" for p in paragraphs * 3) + "</article>", lang=lang)

    settings = get_project_settings()
    settings.set("SPACECRAWL_SITES_FILE", None)
    run = OfflineRun(settings)
    summer_in_vienna = run.process("https://www.zeitung.at/wissen/satellit", dated_page(PARAGRAPHS, "de"))
    assert summer_in_vienna.timezone == "Europe/Vienna"
    assert summer_in_vienna.published == datetime(2025, 5, 15, 14, 33, tzinfo=timezone.utc)
    unknown_clock = run.process("https://news.example/space/satellite", dated_page(PARAGRAPHS[::-1], "en"))
    assert unknown_clock.published == datetime(2025, 5, 15, 16, 33, tzinfo=timezone.utc)  # as written: UTC


def test_a_sites_own_timezone_outweighs_the_zone_its_pages_suggest():
    from crawler.sites.base import Site
    from crawler.spiders.article_page import article_from_page

    html = page("<article><h1>Satellit</h1><p>Text.</p></article>", lang="de")
    assert article_from_page(None, "https://www.zeitung.de/x", html).timezone == "Europe/Berlin"
    site = Site(name="zeitung", domains=("zeitung.de",), feeds=("https://www.zeitung.de/feed",), timezone="America/New_York")
    assert article_from_page(site, "https://www.zeitung.de/x", html).timezone == "America/New_York"

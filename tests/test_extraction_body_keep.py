"""Blocks the body keeps: standfirsts, subheadings, lists and quotes, text beside images, what a
reader sees, and a paragraph shown twice kept once."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article
from tests.extraction_pages import PARAGRAPHS, article_html, page, paragraphs_of


def test_body_keeps_subheadings_lists_and_quotes_as_separate_paragraphs():
    extra = ("<h2>What comes next</h2><ul><li>Instrument checks in April.</li><li>First images in May.</li></ul>"
             "<blockquote><p>We are thrilled with how smoothly the countdown went today.</p></blockquote>")
    article = extract_article("https://news.example/story", page(article_html(extra_inside=extra)))
    assert paragraphs_of(article.body)[len(PARAGRAPHS):] == [
        "What comes next", "Instrument checks in April.", "First images in May.",
        "We are thrilled with how smoothly the countdown went today."]


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


def test_standfirst_named_as_such_joins_the_body_even_when_not_declared():
    lead = "A weather satellite built over six years reached orbit on Sunday after a flawless launch."
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = (f"<article><header><h1>Weather satellite reaches orbit</h1><div class='article__lead'>{lead}</div></header>"
            f"<div class='entry-content'>{paragraphs}</div></article>")
    assert paragraphs_of(extract_article("https://news.example/x", page(body)).body) == [lead, *PARAGRAPHS]


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


def test_a_paragraph_with_an_image_after_its_first_words_is_text():
    paragraph = "<p>The crew waved <img src='/wave.png' alt=''> from the hatch before the launch on Sunday.</p>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=paragraph)))
    assert paragraphs_of(article.body)[-1] == "The crew waved from the hatch before the launch on Sunday."


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

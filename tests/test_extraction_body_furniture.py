"""Furniture in the body: boxes, prompts, captions, widgets and boilerplate lines that are not the
article's text, and the text that only looks like them."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article
from tests.extraction_pages import PARAGRAPHS, article_html, page, paragraphs_of


def test_headline_byline_and_captions_stay_out_of_the_body():
    figure = "<figure><img src='/a.jpg'><figcaption>The satellite before launch. Credit: Example</figcaption></figure>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=figure)))
    assert "Weather satellite reaches orbit" not in article.body
    assert "Jane Doe" not in article.body
    assert "Credit: Example" not in article.body


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


def test_overflow_hidden_is_layout_not_hiding():
    table = "<div class='table-wrap overflow-x-hidden'><p>Launch mass 1,200 kg; orbit 705 km; design life 10 years.</p></div>"
    later = "<div class='is-hidden'><p>A paragraph of the next story that a script would show later on.</p></div>"
    article = extract_article("https://news.example/story", page(article_html(extra_inside=table + later)))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "Launch mass 1,200 kg; orbit 705 km; design life 10 years."]


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


def test_a_sentence_with_a_date_is_text_not_a_date_line():
    from pipelines.strip_boilerplate import strip_boilerplate

    body = "\n\n".join([*PARAGRAPHS, "The next launch is set for March 3, 2024."])
    assert strip_boilerplate(body).split("\n\n")[-1] == "The next launch is set for March 3, 2024."


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


@pytest.mark.parametrize("label", ["<p>Topics</p>", "<div>DON'T MISS</div>", "<p>Mehr zum Thema</p>"])
def test_a_widget_label_left_in_the_text_stays_out(label):
    article = extract_article("https://news.example/story", page(article_html(extra_inside=label + "<p>Last words.</p>")))
    assert paragraphs_of(article.body) == [*PARAGRAPHS, "Last words."]

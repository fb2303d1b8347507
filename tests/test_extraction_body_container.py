"""The body's container: the article's text chosen over comment threads, other stories, script data
and live-blog updates, and text split over several boxes."""

from __future__ import annotations

import json

import pytest

from crawler.extraction import extract_article
from tests.extraction_pages import PARAGRAPHS, article_html, page, paragraphs_of


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
    # (Two paragraphs: a body too short to be an article would be read again by the second opinion.)
    body = f"<main><h1>Podcast: more on the impact</h1><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>{thread}</main>"
    assert paragraphs_of(extract_article("https://news.example/story", page(body)).body) == PARAGRAPHS[:2]


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


def test_a_story_card_set_as_an_article_inside_the_text_stays_out():
    card = ("<article class='card'><h3>Crew named for the next flight</h3>"
            "<p>Four astronauts will fly the capsule on its second crewed mission next spring.</p></article>")
    paragraphs = [f"<p>{p}</p>" for p in PARAGRAPHS]
    html = page(f"<article><h1>Weather satellite reaches orbit</h1><div class='entry-content'>"
                f"{paragraphs[0]}{card}{''.join(paragraphs[1:])}</div></article>")
    assert paragraphs_of(extract_article("https://news.example/story", html).body) == PARAGRAPHS


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

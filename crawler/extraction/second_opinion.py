"""A second opinion on a doubtful body, from trafilatura, a generic extractor.

Our rules read a page's structure and its CMS's vocabulary; on a layout they were never developed
on they can come away with a caption, a teaser or nothing, and the article would be dropped as too
short. Only then does trafilatura read the page as well (it costs about three of our extractions),
and its text is taken when it holds clearly more.

Measured on the corpus's development folds, with class names and metadata taken away to stand for
unseen layouts (`python -m benchmarks.extraction --ablate names|metadata`): a wider trigger, such
as a body under 400 words holding less than half of the page's paragraph text, also caught a
truncated body, but swapped as many right short articles for trafilatura's text with the page's
other stories around it; a body under SHORT_BODY_WORDS changed nothing that was right.
"""

from __future__ import annotations

import logging

from crawler.text.words import count_words

# Fewer words than a short news brief: what the validate stage would drop as no article.
SHORT_BODY_WORDS = 40
# trafilatura's text replaces ours when it holds this many times our words.
BETTER_BY = 2.0

# trafilatura logs at WARNING for pages it finds nothing in; here that is an answer, not a fault.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def is_doubtful(body: str) -> bool:
    """Whether ``body`` is too short to be an article's text."""
    return count_words(body) < SHORT_BODY_WORDS


def generic_body(html: str, url: str) -> str:
    """trafilatura's running text of the page, without comments, paragraphs separated by a blank line."""
    import trafilatura  # here, not at the top: most extraction workers never need it, and it is heavy

    text = trafilatura.extract(html, url=url or None, include_comments=False)
    return "\n\n".join(line for line in (text or "").splitlines() if line.strip())


def better_body(body: str, html: str, url: str) -> str:
    """``body``, or trafilatura's text of the page where ours is doubtful and theirs clearly holds more."""
    if not is_doubtful(body):
        return body
    generic = generic_body(html, url)
    return generic if count_words(generic) > BETTER_BY * count_words(body) else body

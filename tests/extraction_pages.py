"""Page builders the extraction tests share: a page around a body, a WordPress-like article around
three paragraphs of text, and the body split back into paragraphs."""

from __future__ import annotations

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


def article_html(extra_inside: str = "", extra_after: str = "", opening: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""
      <header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
      <main><article class="post">
        <h1 class="entry-title">Weather satellite reaches orbit</h1>
        <div class="entry-meta">By <a rel="author" href="/author/jane">Jane Doe</a> on March 3, 2024</div>
        <div class="entry-content">{opening}{paragraphs}{extra_inside}</div>
      </article>{extra_after}</main>
      <footer>© Example Space News</footer>"""


def paragraphs_of(body: str) -> list[str]:
    return body.split("\n\n")

"""The HTTP API: FastAPI routes over a Store, read-only.

    /v4/articles/        a page of articles: filters (parameters.FILTERS), search, ordering,
                         limit, offset, include; {count, next, previous, results}
    /v4/articles/{id}/   one article
    /v4/info/            {version, news_sites}
    /docs, /openapi.json the OpenAPI description

Errors are JSON ``{"detail": "..."}``: 400 for a parameter that cannot be read (never 422, never
500), 404 for an unknown article, 503 while the database cannot be reached.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, create_model

from crawler.api.news_sites import display_name
from crawler.api.parameters import (DEFAULT_LIMIT, FILTERS, INCLUDE_ALL, MAX_LIMIT, ORDER_COLUMNS, ParameterError,
                                    article_filter, included, ordering)
from crawler.api.records import OUR_FIELDS, v4_record
from crawler.db.engine import StoreUnavailable
from crawler.db.query import QueryError
from crawler.db.repository import ArticlePage
from crawler.db.store import Store

VERSION = "0.1.0"  # spacecrawl's, as /v4/info/ reports it
LARGEST = 2**63 - 1  # the databases' integers: a larger id or offset is a 400, not an overflow
logger = logging.getLogger(__name__)

_ORDERINGS = ", ".join(f"{name}, -{name}" for name in ORDER_COLUMNS)
ArticleQuery: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "ArticleQuery",
    search=(str | None, Field(None, description="Title or body contain these words: the search language of "
                                                 '`scrapy search` ("a phrase", a OR b, -word, launch*)')),
    **{parameter.name: (str | None, Field(None, description=parameter.description)) for parameter in FILTERS},
    ordering=(str | None, Field(None, description=f"Comma-separated, of {_ORDERINGS}; default -published_at")),
    limit=(int, Field(DEFAULT_LIMIT, ge=1, description=f"Articles per page (at most {MAX_LIMIT})")),
    offset=(int, Field(0, ge=0, le=LARGEST, description="Articles to skip")),
    include=(str | None, Field(None, description=f"(spacecrawl) Our fields to add, comma-separated: "
                                                 f"{', '.join(OUR_FIELDS)}, or {INCLUDE_ALL}")),
    # We link no launches or events and feature nothing: asking for them finds nothing.
    launch=(str | None, Field(None, description="Linked to this launch: none is")),
    event=(str | None, Field(None, description="Linked to this event: none is")),
    has_launch=(bool | None, Field(None, description="Linked to a launch (true finds nothing)")),
    has_event=(bool | None, Field(None, description="Linked to an event (true finds nothing)")),
    is_featured=(bool | None, Field(None, description="Featured (true finds nothing)")),
)


def create_app(store: Store) -> FastAPI:
    app = FastAPI(title="spacecrawl", version=VERSION,
                  description="Stored space news, read-only, in the shape of the Spaceflight News API v4 "
                              "(its article endpoints), with spacecrawl's own fields and filters.")

    @app.get("/v4/articles/", summary="A page of articles, newest first")
    @app.get("/v4/articles", include_in_schema=False)
    def articles(request: Request, query: Annotated[ArticleQuery, Query()]) -> dict[str, Any]:  # type: ignore[valid-type]
        values = query.model_dump()  # type: ignore[attr-defined]
        where, order = article_filter(values), ordering(values["ordering"])
        fields = included(values["include"], tuple(OUR_FIELDS))
        limit, offset = min(values["limit"], MAX_LIMIT), values["offset"]
        if values["launch"] or values["event"] or values["has_launch"] or values["has_event"] or values["is_featured"]:
            page = ArticlePage(0, [])
        else:
            page = store.page(where, search=values["search"], order=order, offset=offset, limit=limit)
        return {"count": page.count,
                "next": _page_url(request, offset + limit, limit) if offset + limit < page.count else None,
                "previous": _page_url(request, offset - limit, limit) if offset > 0 else None,
                "results": [v4_record(article, fields) for article in page.articles]}

    @app.get("/v4/articles/{article_id}/", summary="One article")
    @app.get("/v4/articles/{article_id}", include_in_schema=False)
    def article(article_id: Annotated[int, Path(ge=1, le=LARGEST)],
                include: Annotated[str | None, Query(description=f"(spacecrawl) Our fields to add, or {INCLUDE_ALL}")]
                = None) -> Any:
        fields = included(include, tuple(OUR_FIELDS))
        found = store.article(article_id)
        if found is None:
            return JSONResponse({"detail": f"no article has id {article_id}"}, status_code=404)
        return v4_record(found, fields)

    @app.get("/v4/info/", summary="Version and news sites")
    @app.get("/v4/info", include_in_schema=False)
    def info() -> dict[str, Any]:
        return {"version": VERSION, "news_sites": sorted(map(display_name, store.stored_sites()), key=str.casefold)}

    @app.exception_handler(RequestValidationError)
    async def unreadable(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
        return JSONResponse({"detail": f"{where}: {first.get('msg', 'invalid')}"}, status_code=400)

    @app.exception_handler(ParameterError)
    @app.exception_handler(QueryError)
    async def refused(request: Request, error: ValueError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, error: StoreUnavailable) -> JSONResponse:
        logger.warning("%s %s: %s", request.method, request.url.path, error)
        return JSONResponse({"detail": f"the store is unavailable: {error}"}, status_code=503)

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> JSONResponse:
        # A bug of ours: the client gets JSON; the server's log gets the traceback (from uvicorn).
        return JSONResponse({"detail": f"internal error: {type(error).__name__}"}, status_code=500)

    return app


def _page_url(request: Request, offset: int, limit: int) -> str:
    """The address of the page at ``offset``, as the Spaceflight News API writes it (the first
    page without an offset)."""
    url = request.url.include_query_params(limit=limit)
    return str(url.include_query_params(offset=offset) if offset > 0 else url.remove_query_params("offset"))

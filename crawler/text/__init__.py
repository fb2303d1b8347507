"""Shared text knowledge: the words, phrases and patterns of news pages that both extraction and
the pipelines read by. Data apart from algorithm: bylines (the byline grammar), furniture (prompts
and labels that are no article text, and the line tests that find them), dates (months, weekdays,
time of day, revision labels). Pure: no Scrapy, no database, no other crawler module.
"""

"""Adding a site and knowing it works: what a saved home page and robots.txt say about a site
(discover), the scaffold of its definition (scaffold), fixture pages with their expected output
(fixtures), and a verdict on what a crawl would extract from a page (verdict), which runs pages
through a crawl's processing without the crawl (offline).

Shared by `scrapy addsite`, `savefixture`, `checksite`, `extract`, the extraction benchmarks and
tests/test_site_fixtures.py, so the check a person runs is the check the test suite runs.
"""

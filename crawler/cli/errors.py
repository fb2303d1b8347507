"""The error of a command that cannot do what was asked: one line, exit 1 (a usage error is
Scrapy's UsageError: one line, exit 2)."""


class CommandError(Exception):
    """The command cannot do what was asked (no such article, an output that cannot be written);
    ``str()`` is one line."""

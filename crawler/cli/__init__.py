"""The command line: one module per `scrapy <command>` in commands/ (COMMANDS_MODULE), and here
what they share: base classes, options, saved pages, output, the export formats, the Datasette server."""

"""`scrapy <command>`: one module per command (COMMANDS_MODULE)."""

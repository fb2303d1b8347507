"""One module per site; see base.py for what a site is."""

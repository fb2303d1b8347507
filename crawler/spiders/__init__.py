"""One spider class, made once per site definition by the loader."""

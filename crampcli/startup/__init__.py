"""The start-up path: everyday read-only commands answered from stored pages, without typer, rich or yaml."""

"""`cramp sources`: an address is never broken across lines, and the page opens with the
references, not with an unsigned web article (#21)."""

import re

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app
from crampcli.content.model import Content

runner = CliRunner()


@pytest.mark.parametrize("columns", ["60", "80"])
def test_every_address_is_whole_on_a_line_of_its_own(content: Content, columns: str) -> None:
    out = runner.invoke(app, ["sources", "--plain"], env={"COLUMNS": columns}).stdout
    lines = [line.strip() for line in out.splitlines()]
    for source in content.sources:
        for address in re.findall(r"https?://[^\s),;]+", source.detail):
            assert any(line == address or line.endswith(f"] {address}") for line in lines), address


def test_the_page_opens_with_what_it_is_and_the_references_first() -> None:
    out = runner.invoke(app, ["sources", "--plain"], env={"COLUMNS": "80"}).stdout
    opening = " ".join(out.split("\n\n")[0].split()).lower()
    assert "unsigned" not in opening and "home remedies" not in opening
    assert out.index("References") < out.index("seed-000")


def test_a_terminal_gets_each_address_as_a_terminal_link(content: Content) -> None:
    out = runner.invoke(app, ["sources", "--color", "always"], env={"COLUMNS": "80"}).stdout
    first = re.findall(r"https?://[^\s),;]+", next(s.detail for s in content.sources if s.kind == "reference"))[0]
    assert f"\x1b]8;;{first}\x1b\\{first}\x1b]8;;\x1b\\" in out

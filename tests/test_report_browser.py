"""The HTML report printed by a real browser: headless Chromium prints it to PDF, and the PDF's
text (pdftotext) must hold every entry's date, area and note, and the table's header on every
page that the table runs across. Skipped, with the reason, where the tools are missing
(Debian: apt-get install chromium poppler-utils; .ci/run installs them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crampcli.cli.app import app

CHROMIUM = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium to print the report with (apt-get install chromium)"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="no pdftotext to read the PDF (apt-get install poppler-utils)"),
]
runner = CliRunner()
AREAS = ("calf", "foot", "hamstring", "quadriceps")
ENTRIES = 70  # enough for the table to run over several pages
# The header row as pdftotext -layout lays it out: the columns in order on one line ("Night/day"
# may wrap under it).
HEADER = re.compile(
    r"^.*#\s+Date\s+Time\s+Night/?\s*(day)?\s+Area\s+Side\s+Duration\s+Severity\s+Triggers\s+Symptoms\s+Note", re.M
)


def note_of(i: int) -> str:
    long = " ".join(f"w{i}x{k}" for k in range(60)) if i % 10 == 0 else ""  # some notes wrap over many lines
    return f"note-{i:03d} {long}".strip()


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium's sandbox refuses to run as root
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert pdf.exists() and pdf.stat().st_size > 0, result.stderr[-2000:]


def pages_of(pdf: Path) -> list[str]:
    assert PDFTOTEXT is not None
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_chromium_prints_every_entry_with_the_header_on_every_page(tmp_path: Path) -> None:
    for i in range(ENTRIES):
        days, hours = divmod(i, 3)
        args = [AREAS[i % 4], f"{1 + i % 9}m", "--start", f"-{days * 24 + hours * 5 + 1}h", "--note", note_of(i)]
        result = runner.invoke(app, ["log", "add", *args])
        assert result.exit_code == 0, result.stderr
    listed = runner.invoke(app, ["log", "list", "--json"]).stdout
    page = tmp_path / "report.html"
    result = runner.invoke(app, ["log", "report", "--output", str(page)])
    assert result.exit_code == 0, result.stderr

    pdf = tmp_path / "report.pdf"
    print_to_pdf(page, pdf, tmp_path / "profile")
    pages = pages_of(pdf)
    assert len(pages) >= 3
    text = "\n".join(pages)
    words = set(re.findall(r"[\w-]+", text))

    for started, area in re.findall(r'"started": "(\d{4}-\d\d-\d\d)T[^"]*",.*?"area": "([a-z-]+)"', listed, re.S):
        assert started in text and area in text
    for i in range(ENTRIES):  # every note, whole: each of its words survives the wrapping
        assert set(note_of(i).split()) <= words, f"note {i} is cut"

    # The header, on the first page of the table and on every page after it.
    first = next(n for n, page_text in enumerate(pages) if "Every entry of the period" in page_text)
    for page_text in pages[first:]:
        if re.search(r"note-\d{3}", page_text):
            assert HEADER.search(page_text), page_text[:600]
    assert "not medical advice" in pages[-1]  # the disclaimer closes the report

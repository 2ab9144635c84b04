"""The start-up budget's means: heavy modules stay out of the paths that do not need them."""

from __future__ import annotations

import subprocess
import sys

# json and hashlib load shared libraries (_json, _blake2): the content cache and render need neither.
HEAVY = ("rich", "yaml", "sqlite3", "platformdirs", "pydantic", "json", "_json", "hashlib", "_blake2")


def modules_after(code: str) -> set[str]:
    # Printed one per line after a marker: the probe must not import json itself.
    probe = f"{code}\nimport sys\nprint('--modules--')\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return set(result.stdout.split("--modules--\n")[-1].split())


def heavy_in(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_importing_the_cli_pulls_no_heavy_module() -> None:
    assert heavy_in(modules_after("import crampcli.cli.app")) == set()


def test_plain_relief_with_a_warm_cache_pulls_no_heavy_module() -> None:
    run = (
        "import sys\nfrom crampcli.cli.app import app\n"
        "try:\n    app(['relief', 'calf', '--plain'])\nexcept SystemExit:\n    pass\n"
    )
    modules_after(run)  # warms the content cache
    # What typer itself pulls in to run any command (none on 0.28; pydantic and what it needs
    # on 0.29) is the framework's cost, not crampcli's: README's Performance says why the pin.
    framework = heavy_in(modules_after(ONE_COMMAND_APP))
    assert heavy_in(modules_after(run)) - framework == set()


# The smallest typer app that runs a command: what the framework loads on its own.
ONE_COMMAND_APP = (
    "import typer\napp = typer.Typer()\n\n@app.command()\ndef only() -> None:\n    pass\n\n"
    "try:\n    app([])\nexcept SystemExit:\n    pass\n"
)


def test_rich_is_imported_when_colour_is_asked_for() -> None:
    run = (
        "from crampcli.cli.app import app\n"
        "try:\n    app(['relief', 'calf', '--color', 'always'])\nexcept SystemExit:\n    pass\n"
    )
    assert "rich" in modules_after(run)


def test_the_command_freezes_what_start_up_loaded() -> None:
    # gc.freeze() in main(): the collector leaves the framework's objects alone, at exit too.
    probe = (
        "import atexit, gc, sys\n"
        "sys.argv = ['cramp', 'relief', 'calf', '--plain']\n"
        "from crampcli.cli.app import main\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count(), file=sys.stderr))\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    frozen = int(result.stderr.split("frozen")[-1])
    assert frozen > 10_000  # typer and click alone are tens of thousands of objects

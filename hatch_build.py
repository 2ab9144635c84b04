"""The wheel's build hook: manual pages written from the commands' help (crampcli/cli/manpage.py),
shipped as data under share/man/man1 so that `man cramp` works after pip, pipx or uv installs."""

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ManPageHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        sys.path.insert(0, self.root)  # the package from these sources, not an installed one
        try:
            from crampcli.cli.manpage import man_pages

            pages = man_pages()
        finally:
            sys.path.remove(self.root)
        self.folder = Path(tempfile.mkdtemp(prefix="crampcli-man-"))
        for name, text in pages.items():
            path = self.folder / name
            path.write_text(text, encoding="utf-8")
            build_data["shared_data"][str(path)] = f"share/man/man1/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

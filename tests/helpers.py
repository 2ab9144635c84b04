"""What the test suites share: where the checkout is and the installed command they run."""

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The installed command beside the test Python; "" when it is not installed (those tests skip).
CRAMP = shutil.which("cramp", path=str(Path(sys.executable).parent)) or ""


def swap_for_link(folder: Path, planted: Path, moved: Path) -> None:
    """Move folder to moved and put a link to planted in its place, the way another user who
    can rename entries in the folder above would."""
    folder.rename(moved)
    folder.symlink_to(planted)

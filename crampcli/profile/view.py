"""The page that shows a profile."""

from __future__ import annotations

from pathlib import Path

from crampcli.content.model import Condition
from crampcli.output.page import Page
from crampcli.safefile import is_dev_null

from .store import Profile


def profile_page(path: Path, profile: Profile, conditions: tuple[Condition, ...]) -> Page:
    chosen = set(profile.conditions)
    exists = path.is_file()  # /dev/null is no profile
    status = "" if exists else " (no profile: it reads as empty)" if is_dev_null(path) else " (not created yet)"
    page = Page(
        "profile",
        data={
            "path": str(path),
            "exists": exists,
            "conditions": list(profile.conditions),
            "emergency_number": profile.emergency_number,
            "units": profile.units,
            "known_conditions": [{"id": c.id, "name": c.name, "aliases": list(c.aliases)} for c in conditions],
        },
    )
    page.add("title", "Your profile")
    page.add("text", f"File: {path}{status}", style="muted")
    page.add("heading", "Conditions")
    page.add("bullets", *(f"[{'x' if c.id in chosen else ' '}] {c.id} - {c.name}" for c in conditions))
    page.add("text", f"Emergency number: {profile.emergency_number or 'not set (advice names 911, 112 or 999)'}")
    page.add("text", f"Units: {profile.units or 'as the sources give them'}")
    page.add("text", "Change it: cramp profile set diabetes=yes emergency-number=112 units=metric", style="muted")
    page.add("text", "Ignore it for one command: --profile none", style="muted")
    return page

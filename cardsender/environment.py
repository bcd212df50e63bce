"""Who is at the keyboard and where: read from the environment, the same for CLI and GUI."""

from __future__ import annotations

import getpass
import os
import re

from cardsender.phones import DEFAULT_REGION


def current_actor() -> str:
    """Who is doing this, for the events log: $CARDSENDER_USER, else the login name."""
    try:
        return os.environ.get("CARDSENDER_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def home_region() -> str:
    """The country of phone numbers written without a country code: $CARDSENDER_REGION, else US."""
    region = (os.environ.get("CARDSENDER_REGION") or "").strip().upper()
    return region if re.fullmatch(r"[A-Z]{2}", region) else DEFAULT_REGION

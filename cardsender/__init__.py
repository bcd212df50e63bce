"""cardsender: personal printed follow-up cards after customer-service calls.

What the app is called and how it identifies itself, in one place: hatch reads the version
from here, and build.spec reads all of it for the frozen app (exe version info, Info.plist).
Keep this file free of imports so build.spec can run it on its own.
"""

__version__ = "0.1.0"
APP_NAME = "cardsender"  # the command, the data and settings folders, the crash log
DISPLAY_NAME = "Cardsender"  # what a person sees: the window, the macOS app and menu, Windows' file details
DESCRIPTION = "Send a personal, printed follow-up card after a customer-service call"
BUNDLE_ID = "org.cardsender.Cardsender"  # macOS CFBundleIdentifier
ORGANIZATION = "The cardsender authors"
COPYRIGHT = "Copyright © 2026 The cardsender authors. MIT License."
MACOS_MINIMUM = "13.0"  # LSMinimumSystemVersion: PySide6 6.11.3's wheels are macosx_13_0

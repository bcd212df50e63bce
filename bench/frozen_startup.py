"""Budget: the frozen app (build.spec) shows its window in under 2 s, warm.

    pyinstaller --noconfirm build.spec
    python bench/frozen_startup.py [--app dist/cardsender] [--runs 7] [--db PATH] [--no-baseline]

bench/ui_startup.py times the installed app from the inside (a child process that patches the
window class to note its first page). The frozen app cannot be patched, so it is watched from
the outside, as a person sees it: on a virtual X screen (Xvfb, started here), from just before
the process is started to the moment the X server maps its window (a top-level window of 200 x
150 pixels or more: the main window, or the first-run welcome if the store were new), read
through libX11's MapNotify events (ctypes, no extra package). The process is then ended.

The store is the demo data set, made by the frozen cardsender-cli, so the main window opens
straight away (a used store shows no welcome); ``--db`` times another, such as the million-call
store ``bench/ui_startup.py --keep PATH`` builds. One start is made first to warm the OS cache and
is not counted: these are warm starts, as on a rep's desktop during the day. The same measure
is taken of the installed app (``python -m cardsender``) as a baseline. Prints the median, min
and max of ``--runs`` starts; exits 1 when the median misses the budget.

Needs Xvfb and Qt's xcb libraries: ``apt-get install xvfb libxcb-cursor0 libxcb-icccm4
libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
libxkbcommon-x11-0``.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 2000.0
MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
MIN_WINDOW = (200, 150)  # smaller top-level windows are Qt's helpers, not what a person sees


class XServer:
    """Xvfb on a free display, and a libX11 connection that hears every top-level map."""

    def __init__(self) -> None:
        if shutil.which("Xvfb") is None:
            raise SystemExit("needs Xvfb: apt-get install xvfb (see this script's docstring)")
        read, write = os.pipe()
        self.process = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24",
                                         "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as answer:
            self.display = f":{answer.readline().strip()}"
        self.x11 = x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x11.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        x11.XPending.argtypes = [ctypes.c_void_p]
        x11.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        x11.XConnectionNumber.argtypes = [ctypes.c_void_p]
        x11.XFlush.argtypes = [ctypes.c_void_p]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        uint = ctypes.POINTER(ctypes.c_uint)
        x11.XGetGeometry.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                                     ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int), uint, uint, uint, uint]
        self.connection = x11.XOpenDisplay(self.display.encode())
        if not self.connection:
            raise SystemExit(f"cannot connect to Xvfb on {self.display}")
        x11.XSelectInput(self.connection, x11.XDefaultRootWindow(self.connection), SUBSTRUCTURE_NOTIFY_MASK)
        x11.XFlush(self.connection)
        self.fd = x11.XConnectionNumber(self.connection)
        self.event = (ctypes.c_long * 24)()  # an XEvent is a union of 192 bytes on 64-bit

    def wait_for_window(self, process: subprocess.Popen, timeout: float) -> float | None:
        """perf_counter() when ``process``'s window was mapped; None if it ended or timed out."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            while self.x11.XPending(self.connection):
                self.x11.XNextEvent(self.connection, ctypes.byref(self.event))
                # XMapEvent: type, serial, send_event, display, event, window, override_redirect
                if self.event[0] & 0xFFFFFFFF == MAP_NOTIFY and not self.event[6] & 0xFFFFFFFF:
                    seen = time.perf_counter()
                    if self._size(self.event[5]) >= MIN_WINDOW:
                        return seen
            if process.poll() is not None:
                return None
            select.select([self.fd], [], [], 0.05)
        return None

    def _size(self, window: int) -> tuple[int, int]:
        root, x, y = ctypes.c_ulong(), ctypes.c_int(), ctypes.c_int()
        width, height, border, depth = (ctypes.c_uint() for _ in range(4))
        if not self.x11.XGetGeometry(self.connection, window, root, x, y, width, height, border, depth):
            return (0, 0)
        return (width.value, height.value)

    def close(self) -> None:
        self.x11.XCloseDisplay(self.connection)
        self.process.terminate()
        self.process.wait(timeout=10)


def time_starts(server: XServer, command: list[str], env: dict[str, str], runs: int) -> list[float]:
    """Launch-to-window times in ms: one warm-up start, then ``runs`` counted ones."""
    times = []
    for run in range(runs + 1):
        launched = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        shown = server.wait_for_window(process, timeout=60)
        process.terminate()
        _, errors = process.communicate(timeout=30)
        if shown is None:
            raise SystemExit(f"{' '.join(command)} showed no window:\n{errors.decode(errors='replace')}")
        if run:
            times.append((shown - launched) * 1000)
    return times


def report(label: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"  {label:44} median {median:6.0f} ms   min {min(times):6.0f}   max {max(times):6.0f}   "
          f"({len(times)} warm starts)")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", default=str(ROOT / "dist" / "cardsender"), help="the built app folder")
    parser.add_argument("--runs", type=int, default=7, help="counted starts (default 7)")
    parser.add_argument("--db", metavar="PATH", help="open this store (default: a new demo store)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the installed app's starts")
    args = parser.parse_args()
    app = Path(args.app)
    gui, cli = app / "cardsender", app / "cardsender-cli"
    if not gui.is_file():
        raise SystemExit(f"no app at {app}: build it first (pyinstaller --noconfirm build.spec)")

    size_mb = sum(p.stat().st_size for p in app.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    print(f"app: {app} ({size_mb:.0f} MB)")
    with tempfile.TemporaryDirectory(prefix="frozen-startup-") as folder:
        home = Path(folder) / "home"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("CARDSENDER_DB", "QT_QPA_PLATFORM")}
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
                   XDG_CACHE_HOME=str(home / ".cache"))
        db = Path(args.db) if args.db else Path(folder) / "store.sqlite3"
        if not args.db:
            subprocess.run([str(cli), "demo", "--db", str(db)], env=env, check=True, stdout=subprocess.DEVNULL)
        server = XServer()
        try:
            env.update(DISPLAY=server.display, QT_QPA_PLATFORM="xcb")
            print(f"Xvfb on {server.display}; launch -> window mapped; store {db} ({db.stat().st_size / 2**20:.1f} MB)")
            frozen = report("frozen app (dist/cardsender/cardsender)",
                            time_starts(server, [str(gui), "--db", str(db)], env, args.runs))
            if not args.no_baseline:
                report("baseline: installed app (python -m cardsender)",
                       time_starts(server, [sys.executable, "-m", "cardsender", "--db", str(db)], env, args.runs))
        finally:
            server.close()
    within = frozen < BUDGET_MS
    print(f"frozen app: {frozen:.0f} ms, {'within' if within else 'OVER'} the {BUDGET_MS:.0f} ms budget")
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())

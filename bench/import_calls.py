"""Budget: a generated 200,000-row call log imports at 50,000 rows/s or better.

    python bench/import_calls.py [--rows N]

Prints the import's rate and, as baselines run in the same process on the same file, the rate
of merely reading the CSV (the floor of any import) and of inserting ready-made rows into a
bare table with plain sqlite3 (no parsing, no indexes).
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import timed, write_generic_call_log  # noqa: E402

from cardsender.calllog.importer import import_calls  # noqa: E402
from cardsender.store import open_store  # noqa: E402

BUDGET_ROWS_PER_S = 50_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3, help="imports into fresh stores; the median counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        log = folder / "calls.csv"
        write_generic_call_log(log, args.rows)
        size_mb = log.stat().st_size / 1e6

        def read_only():
            with log.open(encoding="utf-8", newline="") as handle:
                return sum(1 for _ in csv.reader(handle))

        read_s, _ = timed(read_only)

        def bare_insert():
            with log.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))[1:]
            conn = sqlite3.connect(folder / "bare.sqlite3")
            conn.execute("CREATE TABLE calls (a, b, c, d, e, f, g, h)")
            with conn:
                conn.executemany("INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.close()

        bare_s, _ = timed(bare_insert)

        runs = []
        for run in range(args.runs):  # each into a new store: the first import is the budget
            store = open_store(folder / f"store{run}.sqlite3")
            runs.append(timed(lambda: import_calls(store, log, tz=ZoneInfo("America/Chicago"))))
            if run == args.runs - 1:
                again_s, again = timed(lambda: import_calls(store, log, tz=ZoneInfo("America/Chicago")))
            store.close()
        times = sorted(t for t, _ in runs)
        import_s, report = statistics.median(times), runs[0][1]

    rate = args.rows / import_s
    print(f"file: {args.rows:,} rows, {size_mb:.1f} MB (generic layout, 50,000 distinct numbers)")
    print(f"baseline csv read only:          {args.rows / read_s:>10,.0f} rows/s  ({read_s:.2f} s)")
    print(f"baseline bare sqlite3 insert:    {args.rows / bare_s:>10,.0f} rows/s  ({bare_s:.2f} s)")
    print(f"cardsender import (median of {args.runs}): {rate:>7,.0f} rows/s  ({import_s:.2f} s; "
          f"{report.imported:,} imported, {len(report.rejected)} rejected; "
          f"fastest {args.rows / times[0]:,.0f}, slowest {args.rows / times[-1]:,.0f} rows/s)")
    print(f"cardsender re-import (all dupes):{args.rows / again_s:>10,.0f} rows/s  ({again_s:.2f} s; "
          f"{again.already_there:,} already there)")
    print(f"ratio import / csv read: {import_s / read_s:.1f}x slower; import / bare insert: {import_s / bare_s:.1f}x slower")
    verdict = "within" if rate >= BUDGET_ROWS_PER_S else "OVER"
    print(f"budget {BUDGET_ROWS_PER_S:,} rows/s: {verdict} ({rate / BUDGET_ROWS_PER_S:.2f}x the budget)")
    return 0 if rate >= BUDGET_ROWS_PER_S else 1


if __name__ == "__main__":
    raise SystemExit(main())

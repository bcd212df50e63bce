"""Budget: 1,000 queued cards to all batch files (cards, envelopes, manifest) in under 15 s,
peak memory under 400 MB, cards PDF under 10 MB.

    python bench/batch.py [--cards N] [--stock STOCK]

Builds a demo store with N queued cards (varied templates, customers and reps), then runs the
real batch (`cardsender.mailroom.create_batch`) and prints its time, peak memory (resident set
size of this process, which holds everything) and file sizes, beside a baseline run in the same
process: the bare card drawing of the same cards into one PDF (bench/bare_reportlab.py).
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bare_reportlab import draw_bare  # noqa: E402

from cardsender import cards as card_work  # noqa: E402
from cardsender.demo import load_demo, queue_demo_cards  # noqa: E402
from cardsender.mailroom import create_batch  # noqa: E402
from cardsender.render.fonts import font_book  # noqa: E402
from cardsender.store import open_store  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--stock", default="letter-trim", help="a stock every format goes on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        store = open_store(folder / "bench.sqlite3")
        load_demo(store, actor="bench")
        began = time.perf_counter()
        queued = queue_demo_cards(store, args.cards, actor="bench")
        print(f"queued {queued:,} cards in {time.perf_counter() - began:.1f} s (set-up, not timed)")
        book = font_book()
        ids = [c["id"] for c in store.list_cards(status="queued", limit=100000)]
        ready = [card_work.prepared(store, i, book) for i in ids]
        began = time.perf_counter()
        draw_bare(ready, book, io.BytesIO(), (18 * 72, 12 * 72))
        bare_s = time.perf_counter() - began
        before_mb = peak_mb()
        began = time.perf_counter()
        result = create_batch(store, folder / "out", stock=args.stock, actor="bench")
        batch_s = time.perf_counter() - began
        peak = peak_mb()
        sizes = {kind: path.stat().st_size / 1e6 for kind, path in result.files.items()}
        store.close()
    print(f"baseline: the same cards drawn bare into one PDF: {bare_s:.2f} s")
    print(f"batch {result.batch_id}: {result.cards:,} cards on {result.sheets:,} sheets of {args.stock} "
          f"in {batch_s:.2f} s ({batch_s / bare_s:.1f}x the bare drawing, which makes one file of four)")
    for kind, megabytes in sizes.items():
        print(f"  {kind:13} {megabytes:6.2f} MB")
    print(f"peak memory (RSS) {peak:.0f} MB (before the batch: {before_mb:.0f} MB)")
    ok = batch_s < 15 and peak < 400 and sizes["cards"] < 10
    print(f"budgets: under 15 s {'yes' if batch_s < 15 else 'NO'}, under 400 MB {'yes' if peak < 400 else 'NO'}, "
          f"cards PDF under 10 MB {'yes' if sizes['cards'] < 10 else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

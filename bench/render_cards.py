"""Budgets: one card proof (render to bytes) in under 30 ms median; 1,000 cards drawn into one
file in under 5 s, at no more than 1.3x a bare reportlab script drawing the same text and art,
and under 5 MB.

    python bench/render_cards.py [--cards N] [--templates DIR]

The baseline (bench/bare_reportlab.py) draws the same pages with reportlab alone: the same art
as forms, the same fonts, the same lines of text at the same places, with none of the app's
work (merging, glyph checks, fitting, boxes and marks are given to it ready-made).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bare_reportlab import draw_bare  # noqa: E402

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from cardsender.render.card import CardPainter, prepare_card  # noqa: E402
from cardsender.render.fonts import font_book  # noqa: E402
from cardsender.render.proof import render_proof  # noqa: E402
from cardsender.templates import load_templates  # noqa: E402

FIRST = ["Zoë", "James", "Aisha", "Tom", "Sofia", "David", "Grace", "Liam", "Priya", "Jamal", "Łukasz", "Siobhán"]
LAST = ["Smith", "Chen", "Patel", "Becker", "Rossi", "Kim", "Okafor", "Murphy", "Nair", "Müller", "Ó Briain"]
REPS = ["Maria Lopez", "James Chen", "Aisha Patel", "Tom Becker", "Grace Okafor"]
SENTENCES = [
    "Thank you for calling us today, {first_name}.", "It was a pleasure to help you with your account.",
    "I hope the new payment plan makes the coming months easier.", "Your meter reading is corrected on your next bill.",
    "If anything else comes up, I am only a phone call away.", "We are sorry for the trouble the outage caused you.",
    "Welcome to the neighbourhood, and enjoy the new home!", "Thank you for your patience while we fixed it.",
]


def make_cards(templates, book, count: int, seed: int = 3):
    rng = random.Random(seed)
    chosen = sorted(templates.values(), key=lambda t: t.slug)
    cards = []
    for _ in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        values = {"first_name": first, "last_name": last, "full_name": f"{first} {last}", "rep_name": rng.choice(REPS),
                  "company": "Northwind Energy & Water"}
        note = " ".join(rng.sample(SENTENCES, rng.randint(2, 4)))
        cards.append((rng.choice(chosen), note, values))
    return cards


def draw_app(prepared_or_raw, book, out, page_size):
    """The app's way: prepare (merge, check, fit) and draw every card with CardPainter."""
    canvas = Canvas(out, pagesize=page_size, invariant=1, initialFontName=book.register(book.text_face.key))
    painter = CardPainter(canvas, book)
    drawn = []
    for template, note, values in prepared_or_raw:
        card = prepare_card(template, note, values, book,
                            recipient_lines=("ZOË ŁUKASZ", "1432 OAK RIDGE DR", "KANSAS CITY MO  64105-5623"),
                            return_lines=("Northwind Energy & Water", "400 Grand Blvd", "Kansas City MO 64106"))
        drawn.append(card)
        for index in (0, 1):
            painter.draw_spread(card, index, 36, 36, card.template.format.bleed)
            canvas.showPage()
    canvas.save()
    return drawn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--templates", type=Path, help="a templates folder (default: the shipped ones)")
    args = parser.parse_args()
    templates, problems = load_templates(args.templates)
    if not templates:
        print(f"no templates: {problems}")
        return 1
    book = font_book()
    ok = True

    # One proof, rendered to bytes, per template.
    proof_times = []
    for template in sorted(templates.values(), key=lambda t: t.slug):
        def one():
            card = prepare_card(template, template.suggested_note or "Thank you!", {
                "first_name": "Zoë", "last_name": "Łukasz", "full_name": "Zoë Łukasz", "rep_name": "Maria Lopez",
                "company": "Northwind Energy & Water"}, book, recipient_lines=("ZOË ŁUKASZ", "KANSAS CITY MO  64105"),
                return_lines=("Northwind", "Kansas City MO 64106"))
            out = io.BytesIO()
            render_proof(card, book, out)
            return out
        one()  # warm: fonts registered, art read
        times = []
        for _ in range(30):
            began = time.perf_counter()
            one()
            times.append(time.perf_counter() - began)
        proof_times.append((template.slug, statistics.median(times) * 1000))
    worst = max(ms for _, ms in proof_times)
    for slug, ms in proof_times:
        print(f"proof to bytes, {slug:30} {ms:6.1f} ms median")
    print(f"one proof: worst median {worst:.1f} ms -> {'within' if worst < 30 else 'OVER'} the 30 ms budget")
    ok &= worst < 30

    # 1,000 cards in one file, against the bare reportlab baseline drawing the same pages.
    raw = make_cards(templates, book, args.cards)
    page = (max(t.format.width * len(t.format.spreads[0]) for t in templates.values()) + 72,
            max(t.format.height for t in templates.values()) + 72)
    warm = io.BytesIO()
    prepared = draw_app(raw[:5], book, warm, page)
    runs = {"app": [], "bare": []}
    sizes = {}
    for _ in range(5):  # alternate the two so that load on the machine falls on both alike
        out = io.BytesIO()
        began = time.perf_counter()
        prepared = draw_app(raw, book, out, page)
        runs["app"].append(time.perf_counter() - began)
        sizes["app"] = len(out.getvalue())
        out = io.BytesIO()
        began = time.perf_counter()
        draw_bare(prepared, book, out, page)
        runs["bare"].append(time.perf_counter() - began)
        sizes["bare"] = len(out.getvalue())
    tracemalloc.start()  # memory in a run of its own: tracing slows Python down many times
    draw_app(raw, book, io.BytesIO(), page)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    app_s, bare_s = statistics.median(runs["app"]), statistics.median(runs["bare"])
    ratio = app_s / bare_s
    print(f"{args.cards:,} cards, {2 * args.cards:,} pages, {len(templates)} templates:")
    print(f"  bare reportlab baseline: {bare_s:5.2f} s, {sizes['bare'] / 1e6:5.2f} MB")
    print(f"  cardsender renderer:     {app_s:5.2f} s, {sizes['app'] / 1e6:5.2f} MB, Python heap peak {peak / 1e6:.0f} MB")
    print(f"  ratio {ratio:.2f}x the baseline (budget 1.3x); {'within' if app_s < 5 else 'OVER'} 5 s; "
          f"{'within' if sizes['app'] < 5e6 else 'OVER'} 5 MB")
    ok &= app_s < 5 and ratio <= 1.3 and sizes["app"] < 5e6
    print("all budgets met" if ok else "SOME BUDGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python
"""Benchmark (not a test): the guarded Markdown renderer against a corpus of hostile inputs.

    .venv/bin/python bench/markdown.py [--timeout 1.5] [--top 10]

Renders every text of tests/hostile_markdown.generated_corpus() (a few hundred texts of up to
20,000 characters: unmatched brackets, emphasis, link and reference chains, deep lists and
quotes, huge tables, HTML soup, mixtures) through roadmap.catalog.markdown.render_markdown, and
reports how many were rendered or refused, and the worst wall time. Target: every text answered
within the time limit plus the cost of restarting the renderer (well under 3 s).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "curso.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=None, help="segundos por texto")
    parser.add_argument("--top", type=int, default=10, help="cuántos de los más lentos mostrar")
    args = parser.parse_args()
    if args.timeout:
        os.environ["MARKDOWN_RENDER_TIMEOUT"] = str(args.timeout)

    import django

    django.setup()
    import logging

    from django.conf import settings

    from roadmap.catalog.markdown import MarkdownError, render_markdown
    from tests.hostile_markdown import generated_corpus

    logging.disable(logging.WARNING)  # one warning per refused text otherwise
    render_markdown("calentar el proceso")
    results = []
    for name, text in generated_corpus():
        started = time.monotonic()
        try:
            render_markdown(text)
            outcome = "ok"
        except MarkdownError as error:
            outcome = "rechazado (tiempo)" if "No pudimos" in str(error) else "rechazado (error)"
        results.append((time.monotonic() - started, name, len(text), outcome))

    times = [seconds for seconds, *_ in results]
    outcomes = [outcome for *_, outcome in results]
    print(f"Límite: {settings.MARKDOWN_RENDER_TIMEOUT:g} s · textos: {len(results)}")
    for outcome in sorted(set(outcomes)):
        print(f"  {outcome}: {outcomes.count(outcome)}")
    print(
        f"Tiempo por texto: mediana {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {statistics.quantiles(times, n=20)[-1] * 1000:.0f} ms, "
        f"peor {max(times) * 1000:.0f} ms"
    )
    print(f"Los {args.top} más lentos:")
    for seconds, name, length, outcome in sorted(results, reverse=True)[: args.top]:
        print(f"  {seconds * 1000:6.0f} ms  {name} ({length} caracteres): {outcome}")
    return 0 if max(times) < 3.0 else 1


if __name__ == "__main__":
    sys.exit(main())

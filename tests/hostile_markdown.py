"""Markdown crafted to be slow or to crash a parser, for the tests, the URL sweep and bench/.

Every payload fits in a note (20,000 characters). `HOSTILE_MARKDOWN` is the handful the tests
feed to every form; `generated_corpus()` makes a few hundred variations for bench/markdown.py.
"""

NOTE_LIMIT = 20_000


def _deep_list(depth: int) -> str:
    return "".join("  " * level + "- x\n" for level in range(depth))


def _table(columns: int, rows: int) -> str:
    header = "|" + "a|" * columns + "\n|" + "-|" * columns + "\n"
    return header + ("|" + "x|" * columns + "\n") * rows


HOSTILE_MARKDOWN = {
    "unmatched brackets": "[" * 19_999,
    "unmatched image brackets": "![" * 9_999,
    "definition list recursion": "a\n: b\n" * 1_000,
    "nested emphasis": "*_" * 5_000 + "x" + "_*" * 4_999,
    "link chain": "[a](" * 4_999,
    "reference chain": "[a][" * 4_999,
    "deep list": _deep_list(130),
    "deep blockquote": "> " * 9_999 + "x",
    "huge table": _table(400, 20),
    "backticks": "`" * 19_999,
    "html nesting": "<div>" * 3_999,
    "angle brackets": "<" * 19_999,
}


def generated_corpus() -> list[tuple[str, str]]:
    """(name, text) pairs: each hostile shape at several sizes, plus mixtures of them."""
    units = [
        "[", "![", "[a](", "[a][", "*_", "**", "`", "> ", "<", "<div>", "a\n: b\n", "- [", "&#",
        "\\", "_a", "~~", "[^", "<a ", "|", "*[",
    ]  # fmt: skip
    corpus = []
    for unit in units:
        for size in (500, 1_000, 2_000, 3_000, 5_000, 10_000, NOTE_LIMIT):
            corpus.append((f"{unit!r} × {size // len(unit)}", (unit * (size // len(unit)))[:size]))
    for depth in (50, 100, 200, 400):
        corpus.append((f"lista anidada {depth}", _deep_list(depth)[:NOTE_LIMIT]))
    for columns, rows in ((100, 50), (400, 20), (1_000, 5)):
        corpus.append((f"tabla {columns}×{rows}", _table(columns, rows)[:NOTE_LIMIT]))
    for index in range(len(units)):
        mixed = "".join(units[(index + k) % len(units)] for k in range(4))
        corpus.append((f"mezcla {index}", (mixed * NOTE_LIMIT)[:NOTE_LIMIT]))
        pair = units[index] + "texto " + units[(index + 7) % len(units)]
        corpus.append((f"par {index}", (pair * NOTE_LIMIT)[:NOTE_LIMIT]))
        nested = "> - " * 20 + units[index] * 50 + "\n"
        corpus.append((f"anidado {index}", (nested * NOTE_LIMIT)[:NOTE_LIMIT]))
    return corpus

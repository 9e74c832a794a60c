"""Render once per content version, assemble per visitor.

A page's template is rendered once for each content version and visitor kind (anonymous or
signed in). Wherever the page shows something that belongs to the visitor (a status, a progress
bar's numbers, the CSRF token, their name, pending messages, a note) the template prints a hole
instead: `{% hole "status" topic.pk %}` in a template, or `hole("user_name")` for a value handed to
one. The rendered text is cut at the holes once, and each request only joins the pieces with the
visitor's values (`Skeleton.fill`): no template rendering, no `reverse()` per item.

A hole is written as a marker that carries a random nonce chosen for that one rendering, so no
text from the course (which an editor writes) can open a hole of its own.

Skeletons live in this process's memory (`SkeletonStore`), keyed by the content version, the
page and the visitor kind; the store is bounded, and only pages that exist are ever stored, so
junk addresses cannot fill it. There is nothing to invalidate: a new content version is a new
key, and the old skeletons age out of the store.
"""

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.template.loader import get_template
from django.utils.safestring import mark_safe

OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters: HTML escaping leaves them alone
_nonce: ContextVar[str | None] = ContextVar("skeleton_nonce", default=None)


def hole(kind: str, *args) -> str:
    """The marker for one hole of the skeleton being rendered (only valid while rendering)."""
    nonce = _nonce.get()
    if nonce is None:
        raise RuntimeError("hole() se usa solo mientras se arma un esqueleto (render_skeleton).")
    return mark_safe(f"{OPEN}{nonce}|{kind}|{'|'.join(str(arg) for arg in args)}{CLOSE}")


class Hole:
    """A hole made before the skeleton renders: it prints its marker when the template does."""

    __slots__ = ("kind", "args")

    def __init__(self, kind: str, *args):
        self.kind, self.args = kind, args

    def __str__(self) -> str:
        return hole(self.kind, *self.args)

    __html__ = __str__


@dataclass(frozen=True, slots=True)
class Skeleton:
    """A rendered page cut at its holes: pieces[0], hole 0, pieces[1], hole 1, …, pieces[-1]."""

    pieces: tuple[str, ...]
    holes: tuple[tuple[str, tuple[str, ...]], ...]
    facts: dict = field(default_factory=dict)  # what the fill needs to know about the content

    def fill(self, values) -> str:
        """Join the pieces with `values.<kind>(*args)` for every hole (already safe HTML)."""
        out = [self.pieces[0]]
        append = out.append
        for (kind, args), piece in zip(self.holes, self.pieces[1:], strict=True):
            append(getattr(values, kind)(*args))
            append(piece)
        return "".join(out)


def render_skeleton(template_name: str, context: dict, facts: dict | None = None) -> Skeleton:
    """Render `template_name` with `context`, holes and all; `facts` are kept with it.

    The context's stand-ins (roadmap/pages/visitor.py) print their holes while it renders."""
    nonce = secrets.token_hex(12)
    reset = _nonce.set(nonce)
    try:
        context = {"skeleton": True, "csrf_token": hole("csrf"), **context}
        html = get_template(template_name).render(context)
    finally:
        _nonce.reset(reset)
    parts = re.split(f"{OPEN}{nonce}\\|([^{CLOSE}]*){CLOSE}", html)
    holes = []
    for spec in parts[1::2]:
        kind, _, args = spec.partition("|")
        holes.append((kind, tuple(args.split("|")) if args else ()))
    return Skeleton(tuple(parts[0::2]), tuple(holes), facts or {})


class SkeletonStore:
    """This process's skeletons (and what else is derived from one content version, such as
    the course structure), least recently used dropped first."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: tuple, build: Callable[[], object]) -> object:
        """The stored skeleton (or other content-derived value) for `key`, or `build()`'s
        (not stored when it is None)."""
        with self._lock:
            skeleton = self._entries.get(key)
            if skeleton is not None:
                self._entries.move_to_end(key)
                return skeleton
        skeleton = build()  # outside the lock: a slow build never holds up other pages
        if skeleton is not None:
            with self._lock:
                self._entries[key] = skeleton
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return skeleton

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

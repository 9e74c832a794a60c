"""Markdown → safe HTML, once, when a text is written; pages only print the stored HTML.

Every render goes through `render_markdown`, which hands the text to a separate process
(`roadmap.catalog.markdown_worker`: the `markdown` package, then nh3's allow-list, links with
rel="noopener noreferrer") and waits at most `settings.MARKDOWN_RENDER_TIMEOUT` seconds of wall
time. A render that takes longer is killed with its process (the next render starts a new one),
so it holds the same under gunicorn's sync and threaded workers; any failure, from a timeout to a
RecursionError in the parser, becomes a `MarkdownError` with a Spanish message for the form.
"""

import hashlib
import json
import logging
import os
import re
import selectors
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from html import unescape
from pathlib import Path

from django.conf import settings
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import Truncator

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parents[2]
EXCERPT_CHARS = 400
# Texts that already ran out of time are refused at once next time (digests only, bounded).
REFUSED_MEMORY = 256


class MarkdownError(ValueError):
    """The text could not be turned into HTML; the message is meant for the person who wrote it."""


def _timeout_message(seconds: float) -> str:
    return (
        f"No pudimos procesar este texto como Markdown en {seconds:g} s. Suele pasar con "
        "corchetes o asteriscos sin cerrar, o con listas y citas anidadas muy hondo: "
        "simplificalo y guardalo de nuevo. Tu texto sigue acá, no se perdió nada."
    )


FAILED_MESSAGE = (
    "Este texto no se pudo procesar como Markdown (la estructura es demasiado compleja). "
    "Simplificalo y guardalo de nuevo. Tu texto sigue acá, no se perdió nada."
)
BUSY_MESSAGE = (
    "El procesador de Markdown está ocupado. Probá guardar de nuevo en unos segundos: "
    "tu texto sigue acá."
)
UNAVAILABLE_MESSAGE = (
    "No pudimos procesar el texto ahora (un problema nuestro, no de tu texto). Probá de nuevo "
    "en unos minutos: tu texto sigue acá, no se perdió nada."
)
# The renderer process announces itself once it has imported its libraries.
READY = b"listo\n"
STARTUP_SECONDS = 20


class RendererUnavailable(MarkdownError):
    """The renderer process could not start: nothing to do with the text."""


class _Worker:
    """One renderer process per web process, one render at a time, killed when it runs late.

    The time limit starts once this render has the process to itself, ready: waiting for another
    render or for the process to start never counts against a text. Only a text that used its
    whole time on a ready process is remembered as too slow.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._refused: OrderedDict[bytes, None] = OrderedDict()

    def _start(self) -> None:
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "roadmap.catalog.markdown_worker"],
                cwd=PROJECT_DIR,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=None,  # a crash's traceback goes to the server's log
                bufsize=0,
            )
        except OSError as error:
            logger.error("No se pudo iniciar el proceso de Markdown: %s", error)
            raise RendererUnavailable(UNAVAILABLE_MESSAGE) from error
        if self._read_line(time.monotonic() + STARTUP_SECONDS) != READY:
            self._stop()
            logger.error("El proceso de Markdown no arrancó (ver su error más arriba)")
            raise RendererUnavailable(UNAVAILABLE_MESSAGE)

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def _read_line(self, deadline: float) -> bytes | None:
        """The process's next line, or None when the deadline passes or the process died."""
        chunks = []
        fd = self._process.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    return None
                chunk = os.read(fd, 65536)
                if not chunk:
                    return None
                chunks.append(chunk)
                if chunk.endswith(b"\n"):
                    return b"".join(chunks)

    def _send(self, data: bytes) -> None:
        fd = self._process.stdin.fileno()
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    def _remember_refused(self, digest: bytes) -> None:
        self._refused[digest] = None
        while len(self._refused) > REFUSED_MEMORY:
            self._refused.popitem(last=False)

    def render(self, text: str, *, inline: bool, timeout: float) -> str:
        digest = hashlib.sha256(f"{inline}:{text}".encode()).digest()
        if not self._lock.acquire(timeout=max(timeout, 5.0)):
            raise MarkdownError(BUSY_MESSAGE)
        try:
            if digest in self._refused:
                raise MarkdownError(_timeout_message(timeout))
            if self._process is None or self._process.poll() is not None:
                self._start()
            request = json.dumps({"text": text, "inline": inline}) + "\n"  # ASCII only
            deadline = time.monotonic() + timeout
            try:
                self._send(request.encode())
                line = self._read_line(deadline)
            except OSError:
                logger.exception("El proceso de Markdown falló")
                line = None
            if line is None:
                ran_out_of_time = time.monotonic() >= deadline
                self._stop()
                if ran_out_of_time:
                    self._remember_refused(digest)
                    logger.warning("Markdown rechazado: no terminó en %s s", timeout)
                    raise MarkdownError(_timeout_message(timeout))
                logger.warning("Markdown rechazado: el proceso terminó con este texto")
                raise MarkdownError(FAILED_MESSAGE)
            answer = json.loads(line)
            if "error" in answer:
                logger.warning("Markdown rechazado: %s", answer["error"])
                raise MarkdownError(FAILED_MESSAGE)
            return answer["html"]
        finally:
            self._lock.release()


_worker = _Worker()


def render_markdown(text: str, *, inline: bool = False) -> str:
    """Sanitised HTML for `text`, or MarkdownError. `inline` drops a lone wrapping <p>."""
    if not text or not text.strip():
        return ""
    return _worker.render(text, inline=inline, timeout=settings.MARKDOWN_RENDER_TIMEOUT)


def render_markdown_or_escape(text: str, *, inline: bool = False) -> str:
    """For back-fills of stored rows: the HTML, or the text escaped as plain paragraphs.

    RendererUnavailable is raised, not hidden: a back-fill must not store every row as plain text
    because the renderer could not start."""
    try:
        return render_markdown(text, inline=inline)
    except RendererUnavailable:
        raise
    except MarkdownError:
        return escape(text) if inline else linebreaks(escape(text))


# Where rendered blocks end: a space there keeps "a</td><td>b" from reading "ab".
BLOCK_BOUNDARY = re.compile(r"<(?:br|/?(?:p|li|td|th|tr|h[2-6]|pre|blockquote|div|table))\b[^>]*>")


def plain_excerpt_html(html: str) -> str:
    """The beginning of rendered (sanitised) HTML as escaped plain text, for lists of notes.

    Made when the note is written, from the renderer's own output: no Markdown syntax and no
    half-closed tag can reach the list."""
    text = unescape(strip_tags(BLOCK_BOUNDARY.sub(" ", html)))
    return escape(Truncator(" ".join(text.split())).chars(EXCERPT_CHARS))

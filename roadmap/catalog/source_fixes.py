"""The course source's known glitches and how links are classified, for the parser.

The canonical Markdown lost some emoji joiners, breaks a few URLs across lines, uses GitHub's
`>[!NOTE]`, and its notebooks all link to Colab's home page: what is repaired here is listed in
the README ("Arreglos sobre la fuente").
"""

import re
import unicodedata
from urllib.parse import urlparse

ZWJ = "\u200d"

# Emoji sequences that lost their zero-width joiner in the source.
EMOJI_REPAIRS = {
    "🧑🔬": f"🧑{ZWJ}🔬",
    "🏋️♂️": f"🏋️{ZWJ}♂️",
}

COLAB_HOME = "https://colab.research.google.com/"

# The source's notebook links all point at Colab's home page: the badges with the real links were
# lost when it was written. These are the notebooks' own links, from the upstream course
# (github.com/mlabonne/llm-course README); the two not listed there keep the generic link.
NOTEBOOK_COLAB_LINKS = {
    "LLM AutoEval": "https://colab.research.google.com/drive/1Igs3WZuXAIv9X0vwqiE90QlEPys8e8Oa",
    "LazyMergekit": "https://colab.research.google.com/drive/1obulZ1ROXHjYLn6PPZJwRR6GzgQogxxb",
    "Árbol genealógico de modelos": (
        "https://colab.research.google.com/drive/1s2eQlolcI1VGgDhqWIANfkfKvcKrMyNr"
    ),
    "Ajuste fino de Llama-2 en Google Colab": (
        "https://colab.research.google.com/drive/1PEQyJO1-f6j0S_XJ8DV50NkpzasXkrzd"
    ),
    "Ajuste fino de LLMs con Axolotl": (
        "https://colab.research.google.com/drive/1Xu0BrCB7IShwSWKVcfAfhehwjDrDMH5m"
    ),
    "Ajuste fino de Mistral-7b con DPO": (
        "https://colab.research.google.com/drive/15iFBr1xWgztXvhrj5I9fBv20c7CFOPBE"
    ),
    "Introducción a la cuantización": (
        "https://colab.research.google.com/drive/1DPr4mUQ92Cc-xf4GgAaB6dFcFnWIvqYi"
    ),
    "Cuantización de 4 bits usando GPTQ": (
        "https://colab.research.google.com/drive/1lSvVDaRgqQp_mWK_jC9gydz6_-y6Aq4A"
    ),
    "Cuantización con GGUF y llama.cpp": (
        "https://colab.research.google.com/drive/1pL8k7m04mgE5jo2NrjGi8atB0j_37aDD"
    ),
    "ExLlamaV2": "https://colab.research.google.com/drive/1yrq4XBlxiA0fALtMoT2dwiACVc77PHou",
    "Estrategias de decodificación en LLMs": (
        "https://colab.research.google.com/drive/19CJlOS5lI29g-B3dziNn93Enez1yiHk2"
    ),
    "Mejorar ChatGPT con grafos de conocimiento": (
        "https://colab.research.google.com/drive/1mwhOSw9Y9bgEaIFKT4CLi0n18pXRM4cj"
    ),
    "Fusionar LLMs usando mergekit": (
        "https://colab.research.google.com/drive/1_JS7JKJAQozD48-LhYdegcuuZ2ddgXfr"
    ),
}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def domain_of(url: str) -> str:
    """The site a link lives on, as a reader would name it: "arxiv.org", not "www.arxiv.org"."""
    return (urlparse(url).hostname or "").lower().removeprefix("www.")


def infer_reference_kind(url: str) -> str:
    """The kind of a link, from its URL (editors can change it in admin)."""
    parsed = urlparse(url)
    host = parsed.netloc.lower().removeprefix("www.")
    path = parsed.path.lower()
    if host in {"youtube.com", "youtu.be", "m.youtube.com"} or host.endswith(".youtube.com"):
        return "video"
    if host == "arxiv.org" or path.endswith(".pdf"):
        return "paper"
    if host == "colab.research.google.com" or path.endswith(".ipynb"):
        return "cuaderno"
    if host == "github.com":
        return "repositorio"
    if host in {"course.fast.ai", "udacity.com", "coursera.org", "khanacademy.org", "kaggle.com"}:
        return "curso"
    if host == "huggingface.co" and path.startswith(("/learn", "/course")):
        return "curso"
    if host == "huggingface.co" and path.startswith("/spaces"):
        return "herramienta"
    if host == "bbycroft.net":
        return "herramienta"
    if path in {"", "/"}:
        return "sitio"
    return "articulo"


def repair_source(text: str) -> str:
    """Fix the source's known glitches before parsing."""
    text = text.replace("\r\n", "\n")
    for broken, fixed in EMOJI_REPAIRS.items():
        text = text.replace(broken, fixed)
    # A link target broken across lines: "(https://...?\ntabs=...)" → one URL.
    text = re.sub(r"\]\((https?://[^)\s]*)\n\s*([^)\s]*)\)", r"](\1\2)", text)
    # GitHub's ">[!NOTE]" admonition is not Markdown: render it as a labelled quote.
    text = re.sub(r"^>\s*\[!NOTE\]\s*\n>\s*", "> **Nota:** ", text, flags=re.MULTILINE)
    return text

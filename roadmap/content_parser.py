"""Parse the course's Markdown source (roadmap/content/curso.md) into plain data.

Pure functions, no database: `parse_course(text)` returns a `CourseContent` that the importer
syncs into the models. The source's known glitches are repaired first (`repair_source`).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlparse

from django.utils.text import slugify

SOURCE_PATH = Path(__file__).resolve().parent / "content" / "curso.md"

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

LINK_RE = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
HEADING_RE = re.compile(r"^(#{2,3})\s+(.*)$")
BULLET_RE = re.compile(r"^[-*]\s+(.*)$")
TOPIC_RE = re.compile(r"^(?P<head>\[\*\*.+?\*\*\]\([^)\s]+\)|\*\*.+?\*\*)\s*:\s*(?P<desc>.*)$")
REFERENCE_RE = re.compile(
    r"^\[(?P<title>.+?)\]\((?P<url>[^)\s]+)\)(?:\s+por\s+(?P<author>.+?))?\s*:\s+(?P<desc>.*)$"
)
GROUP_RE = re.compile(r"^(?P<emoji>\S+)\s+\*\*(?P<title>[^*]+)\*\*$")
VIDEO_RE = re.compile(r"^📹\s+\[(?P<title>.+)\]\((?P<url>[^)\s]+)\)$")
NOTEBOOK_RE = re.compile(r"^(?P<emoji>\S+)\s+\*\*(?P<title>.+?)\*\*\s+-\s+(?P<rest>.*)$")
TREE_RE = re.compile(r"^[│\s]*[├└]──\s+(?P<emoji>\S+)\s+(?P<title>.+)$")
PART_INTRO_RE = re.compile(r"^\d+\.\s+(?P<emoji>\S+)\s+\*\*(?P<title>.+?)\*\*\s+(?P<summary>.+)$")


@dataclass
class TopicData:
    slug: str
    title: str
    description: str
    url: str = ""
    emoji: str = ""


@dataclass
class ReferenceData:
    slug: str
    title: str
    url: str
    kind: str
    author: str = ""
    description: str = ""


@dataclass
class SectionData:
    slug: str
    title: str
    intro: str = ""
    emoji: str = ""
    topics: list[TopicData] = field(default_factory=list)
    references: list[ReferenceData] = field(default_factory=list)


@dataclass
class PartData:
    slug: str
    title: str
    emoji: str
    heading: str
    summary: str = ""
    intro: str = ""
    sections: list[SectionData] = field(default_factory=list)


@dataclass
class ResourceData:
    slug: str
    title: str
    url: str
    emoji: str = ""
    description: str = ""
    article_url: str = ""
    article_label: str = ""


@dataclass
class ResourceGroupData:
    slug: str
    title: str
    kind: str
    collection: str
    emoji: str = ""
    intro: str = ""
    resources: list[ResourceData] = field(default_factory=list)


@dataclass
class CourseContent:
    intro: str = ""
    acknowledgements: str = ""
    parts: list[PartData] = field(default_factory=list)
    resource_groups: list[ResourceGroupData] = field(default_factory=list)

    @property
    def sections(self) -> list[SectionData]:
        return [section for part in self.parts for section in part.sections]

    @property
    def topics(self) -> list[TopicData]:
        return [topic for section in self.sections for topic in section.topics]

    @property
    def references(self) -> list[ReferenceData]:
        return [ref for section in self.sections for ref in section.references]

    def resources_of_kind(self, kind: str) -> list[ResourceData]:
        return [r for g in self.resource_groups if g.kind == kind for r in g.resources]


class ContentError(ValueError):
    """The source does not have the shape the parser expects; the message says where."""


def make_slug(title: str) -> str:
    """Spanish title → URL slug: accents dropped, "/" treated as a word break."""
    return slugify(title.replace("/", " ")) or "sin-titulo"


def unique_slug(title: str, taken: set[str]) -> str:
    base = make_slug(title)[:110]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def plain_text(markdown_fragment: str) -> str:
    """Drop links, emphasis and code marks from a one-line Markdown fragment."""
    text = LINK_RE.sub(r"\1", markdown_fragment)
    return re.sub(r"[*`]", "", text).strip()


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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


def _split_sections(lines: list[str], level: str) -> list[tuple[str, list[str]]]:
    """Split lines at headings of `level` ("##" or "###"): [(heading, body lines)]."""
    chunks: list[tuple[str, list[str]]] = [("", [])]
    for line in lines:
        match = HEADING_RE.match(line)
        if match and match.group(1) == level:
            chunks.append((match.group(2).strip(), []))
        else:
            chunks[-1][1].append(line)
    return chunks


def _paragraphs(lines: list[str]) -> str:
    """Join lines into Markdown, without the "---" rules that separate the source's blocks."""
    text = "\n".join(lines).strip()
    while text.endswith("---") or text.startswith("---"):
        text = text.strip("-").strip()
    return text


def _strip_leading_emoji(heading: str) -> tuple[str, str]:
    first, _, rest = heading.partition(" ")
    if rest and not any(ch.isalnum() for ch in first):
        return first, rest.strip()
    return "", heading


STOPWORDS = {"con", "del", "las", "los", "para", "por", "una", "uno", "the", "and"}


def _tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", _fold(plain_text(text))) if len(w) > 2} - STOPWORDS


def similarity(a: str, b: str) -> float:
    """How alike two names are (0..1): character similarity or shared words, whichever is higher."""
    ratio = SequenceMatcher(None, _fold(plain_text(a)), _fold(plain_text(b))).ratio()
    tokens_a, tokens_b = _tokens(a), _tokens(b)
    if not tokens_a or not tokens_b:
        return ratio
    overlap = len(tokens_a & tokens_b) / min(len(tokens_a), len(tokens_b))
    return max(ratio, overlap)


@dataclass
class TreeEntry:
    emoji: str
    name: str
    children: list[tuple[str, str]] = field(default_factory=list)


def _parse_tree(lines: list[str]) -> list[TreeEntry]:
    """The part's ``` tree: its sections with their topics, as (emoji, name)."""
    entries: list[TreeEntry] = []
    after_last_section = False
    for line in lines:
        match = TREE_RE.match(line)
        if not match:
            continue
        emoji, name = match.group("emoji"), match.group("title").strip()
        # Children are indented with "│ "; the last section's children lost their indentation
        # in the source, so everything after the "└──" entry belongs to it.
        nested = line.startswith(("│", " ")) or after_last_section
        if nested and entries:
            entries[-1].children.append((emoji, name))
        else:
            entries.append(TreeEntry(emoji, name))
            after_last_section = line.startswith("└")
    return entries


def _best_emoji(title: str, candidates: list[tuple[str, str]], threshold: float) -> str:
    scored = [(similarity(title, name), emoji) for emoji, name in candidates]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= threshold else ""


def assign_tree_emoji(sections: list["SectionData"], tree: list[TreeEntry]) -> None:
    """Give sections and topics the emoji of the tree entry that matches them, where one does.

    The tree lists sections in course order but may skip one, so sections are aligned in order.
    A section's topics take their subtree's emoji by position when the counts agree, by name
    otherwise; topics whose subtree is elsewhere in the tree must match a name closely.
    """
    all_children = [child for entry in tree for child in entry.children]
    position = 0
    for section in sections:
        entry = None
        for candidate in tree[position : position + 2]:
            if similarity(section.title, candidate.name) >= 0.5:
                entry = candidate
                position = tree.index(candidate) + 1
                break
        if entry is None:
            for topic in section.topics:
                topic.emoji = _best_emoji(topic.title, all_children, threshold=0.8)
            continue
        section.emoji = section.emoji or entry.emoji
        if len(entry.children) == len(section.topics):
            for topic, (emoji, _name) in zip(section.topics, entry.children, strict=True):
                topic.emoji = emoji
        else:
            for topic in section.topics:
                topic.emoji = _best_emoji(topic.title, entry.children, threshold=0.6)


def _parse_topic(text: str) -> TopicData | None:
    match = TOPIC_RE.match(text)
    if not match:
        return None
    head = match.group("head")
    links = LINK_RE.findall(head)
    url = links[0][1] if links else ""
    title = plain_text(head)
    return TopicData(slug="", title=title, url=url, description=match.group("desc").strip())


def _parse_reference(text: str, where: str) -> ReferenceData:
    match = REFERENCE_RE.match(text)
    if not match:
        raise ContentError(f"{where}: no entiendo la referencia {text[:80]!r}")
    url = match.group("url")
    return ReferenceData(
        slug="",
        title=plain_text(match.group("title")),
        url=url,
        kind=infer_reference_kind(url),
        author=plain_text(match.group("author") or ""),
        description=match.group("desc").strip(),
    )


def _parse_section(heading: str, lines: list[str]) -> SectionData:
    emoji, title = _strip_leading_emoji(heading)
    section = SectionData(slug=make_slug(title), title=title, emoji=emoji)
    intro: list[str] = []
    in_references = False
    topic_slugs: set[str] = set()
    reference_slugs: set[str] = set()
    for line in lines:
        stripped = line.strip()
        if stripped == "---":
            continue
        if stripped.startswith("📚") and "Referencias" in stripped:
            in_references = True
            continue
        bullet = BULLET_RE.match(stripped)
        if bullet and in_references:
            ref = _parse_reference(bullet.group(1), where=title)
            ref.slug = unique_slug(ref.title, reference_slugs)
            section.references.append(ref)
        elif bullet:
            topic = _parse_topic(bullet.group(1))
            if topic is None:
                raise ContentError(f"{title}: no entiendo el tema {stripped[:80]!r}")
            topic.slug = unique_slug(topic.title, topic_slugs)
            section.topics.append(topic)
        elif not section.topics and not in_references:
            intro.append(line)
        elif stripped:
            raise ContentError(f"{title}: texto inesperado {stripped[:80]!r}")
    section.intro = _paragraphs(intro)
    return section


def _parse_part(heading: str, lines: list[str], summaries: dict[str, tuple]) -> PartData:
    emoji, heading_text = _strip_leading_emoji(heading)
    chunks = _split_sections(lines, "###")
    head_lines = chunks[0][1]
    tree_lines, intro_lines, in_tree = [], [], False
    for line in head_lines:
        if line.startswith("```"):
            in_tree = not in_tree
        elif in_tree:
            tree_lines.append(line)
        else:
            intro_lines.append(line)
    title, summary = summaries.get(emoji, (heading_text, ""))
    part = PartData(
        slug=make_slug(title),
        title=title,
        emoji=emoji,
        heading=heading_text,
        summary=summary,
        intro=_paragraphs(intro_lines),
    )
    for section_heading, section_lines in chunks[1:]:
        part.sections.append(_parse_section(section_heading, section_lines))
    assign_tree_emoji(part.sections, _parse_tree(tree_lines))
    return part


def _parse_videos(collection: str, lines: list[str], groups: list[ResourceGroupData]) -> None:
    """A "📹" list: "- 📁 **@name**" starts a group; the paragraph before it is its intro."""
    pending_intro: list[str] = []
    current: ResourceGroupData | None = None
    for line in lines:
        stripped = line.strip()
        bullet = BULLET_RE.match(stripped)
        group = GROUP_RE.match(bullet.group(1)) if bullet else None
        video = VIDEO_RE.match(bullet.group(1)) if bullet else None
        if group:
            title = group.group("title").strip()
            current = ResourceGroupData(
                slug=make_slug(f"{collection} {title}"),
                title=title,
                kind="video",
                collection=collection,
                emoji=group.group("emoji"),
                intro=_paragraphs(pending_intro),
            )
            groups.append(current)
            pending_intro = []
        elif video and current is not None:
            current.resources.append(
                ResourceData(
                    slug=unique_slug(
                        plain_text(video.group("title")), {r.slug for r in current.resources}
                    ),
                    title=plain_text(video.group("title")),
                    url=video.group("url"),
                    emoji="📹",
                )
            )
        elif bullet:
            raise ContentError(f"{collection}: no entiendo el video {stripped[:80]!r}")
        else:
            pending_intro.append(line)
    if current is None:
        # A list with no items yet ("... proximamente ..."): keep it, with its text.
        text = _paragraphs(pending_intro).strip(". ")
        groups.append(
            ResourceGroupData(
                slug=make_slug(collection),
                title=collection,
                kind="video",
                collection=collection,
                intro=text[:1].upper() + text[1:] + "." if text else "",
            )
        )


def _parse_notebooks(collection: str, lines: list[str], groups: list[ResourceGroupData]) -> None:
    """The notebooks list: "- 🎛 **Name**" starts a category; the list's intro goes to the first."""
    intro: list[str] = []
    current: ResourceGroupData | None = None
    for line in lines:
        stripped = line.strip()
        bullet = BULLET_RE.match(stripped)
        if not bullet:
            if current is None:
                intro.append(line)
            elif stripped:
                raise ContentError(f"{collection}: texto inesperado {stripped[:80]!r}")
            continue
        group = GROUP_RE.match(bullet.group(1))
        notebook = NOTEBOOK_RE.match(bullet.group(1))
        if group:
            current = ResourceGroupData(
                slug=make_slug(f"cuadernos {group.group('title')}"),
                title=group.group("title").strip(),
                kind="cuaderno",
                collection=collection,
                emoji=group.group("emoji"),
                intro="" if current else _paragraphs(intro),
            )
            groups.append(current)
        elif notebook and current is not None:
            current.resources.append(_parse_notebook(notebook, current))
        else:
            raise ContentError(f"{collection}: no entiendo el cuaderno {stripped[:80]!r}")


def _parse_notebook(match: re.Match, group: ResourceGroupData) -> ResourceData:
    rest = match.group("rest")
    links = LINK_RE.findall(rest)
    first_link = LINK_RE.search(rest)
    description = rest[: first_link.start()].strip() if first_link else rest.strip()
    title = plain_text(match.group("title"))
    colab_url, article_url, article_label = "", "", ""
    for label, url in links:
        if "colab" in label.casefold():
            colab_url = url
        elif not article_url:
            article_url, article_label = url, label
    if colab_url.rstrip("/") == COLAB_HOME.rstrip("/"):
        colab_url = NOTEBOOK_COLAB_LINKS.get(title, colab_url)
    return ResourceData(
        slug=unique_slug(title, {r.slug for r in group.resources}),
        title=title,
        url=colab_url or article_url,
        emoji=match.group("emoji"),
        description=description,
        article_url=article_url if colab_url else "",
        article_label=article_label if colab_url else "",
    )


def parse_course(text: str) -> CourseContent:
    text = repair_source(text)
    chunks = _split_sections(text.splitlines(), "##")
    course = CourseContent()
    summaries: dict[str, tuple[str, str]] = {}
    intro_lines = []
    for line in chunks[0][1]:
        match = PART_INTRO_RE.match(line.strip())
        if match:
            summaries[match.group("emoji")] = (
                match.group("title").strip(),
                match.group("summary").strip(),
            )
        intro_lines.append(line)
    course.intro = _paragraphs(intro_lines)
    for heading, lines in chunks[1:]:
        emoji, title = _strip_leading_emoji(heading)
        if emoji == "📹":
            _parse_videos(title, lines, course.resource_groups)
        elif emoji == "📝":
            _parse_notebooks(title, lines, course.resource_groups)
        elif title.startswith("Roadmap"):
            course.parts.append(_parse_part(heading, lines, summaries))
        elif title.startswith("Reconocimientos"):
            course.acknowledgements = _paragraphs(lines)
        else:
            raise ContentError(f"Sección de primer nivel desconocida: {heading!r}")
    return course


def load_course(path: Path = SOURCE_PATH) -> CourseContent:
    return parse_course(path.read_text(encoding="utf-8"))

"""Parse the course's Markdown source (roadmap/catalog/content/curso.md) into plain data.

Pure functions, no database: `parse_course(text)` returns a `CourseContent` that the importer
syncs into the models. The source's known glitches are repaired first (`repair_source`).
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from .course_data import (
    LINK_RE,
    ContentError,
    CourseContent,
    PartData,
    ReferenceData,
    ResourceData,
    ResourceGroupData,
    SectionData,
    TopicData,
    make_slug,
    plain_text,
    title_markdown,
    unique_slug,
)
from .source_fixes import (
    COLAB_HOME,
    NOTEBOOK_COLAB_LINKS,
    fold,
    infer_reference_kind,
    repair_source,
)
from .titles import title_text

SOURCE_PATH = Path(__file__).resolve().parent / "content" / "curso.md"

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
    return {w for w in re.findall(r"\w+", fold(plain_text(text))) if len(w) > 2} - STOPWORDS


def similarity(a: str, b: str) -> float:
    """How alike two names are (0..1): character similarity or shared words, whichever is higher."""
    ratio = SequenceMatcher(None, fold(plain_text(a)), fold(plain_text(b))).ratio()
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
    title = title_markdown(head)
    return TopicData(slug="", title=title, url=url, description=match.group("desc").strip())


def _parse_reference(text: str, where: str) -> ReferenceData:
    match = REFERENCE_RE.match(text)
    if not match:
        raise ContentError(f"{where}: no entiendo la referencia {text[:80]!r}")
    url = match.group("url")
    return ReferenceData(
        slug="",
        title=title_markdown(match.group("title")),
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
                        title_markdown(video.group("title")), {r.slug for r in current.resources}
                    ),
                    title=title_markdown(video.group("title")),
                    url=video.group("url"),
                    emoji="📹",
                )
            )
        elif bullet:
            raise ContentError(f"{collection}: no entiendo el video {stripped[:80]!r}")
        else:
            pending_intro.append(line)
    if current is None:
        # A list with no items yet ("... próximamente ..."): keep it, with its text.
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
    """The notebooks list: "- 🎛 **Name**" starts a category.

    The list's intro is about every category: it is kept as a group named like the list, which
    pages show as the list's own text (it has no items of its own)."""
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
            if current is None and _paragraphs(intro):
                groups.append(
                    ResourceGroupData(
                        slug=make_slug(collection),
                        title=collection,
                        kind="cuaderno",
                        collection=collection,
                        intro=_paragraphs(intro),
                    )
                )
            current = ResourceGroupData(
                slug=make_slug(f"cuadernos {group.group('title')}"),
                title=group.group("title").strip(),
                kind="cuaderno",
                collection=collection,
                emoji=group.group("emoji"),
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
    title = title_markdown(match.group("title"))
    colab_url, article_url, article_label = "", "", ""
    for label, url in links:
        if "colab" in label.casefold():
            colab_url = url
        elif not article_url:
            article_url, article_label = url, label
    if colab_url.rstrip("/") == COLAB_HOME.rstrip("/"):
        colab_url = NOTEBOOK_COLAB_LINKS.get(title_text(title), colab_url)
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
            # Each roadmap's line is shown under its own heading: the course's intro keeps the
            # list of names, so the home page says it once.
            line = line.strip()[: match.start("summary")].rstrip()
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

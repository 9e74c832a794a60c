"""A link shown as what it is: its title, the site it lives on and its kind (paper, video, …).

Used for a topic's own link (the card at the top of its page) and for the resources attached to
a topic. Computed while a page's skeleton is built (once per content version), never per request.
The kind comes from the same classification the importer gives references
(`source_fixes.infer_reference_kind`), with the reference kinds' names and icons.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from .models import Reference
from .source_fixes import domain_of, infer_reference_kind

ARXIV_ID = re.compile(r"^/(?:abs|pdf)/(\d{4}\.\d{4,5})")


@dataclass(frozen=True)
class LinkCard:
    url: str
    title: str
    domain: str  # "arxiv.org", without "www."
    detail: str  # what names the page within its site, when that is clear ("arXiv 2106.09685")
    kind: str  # a Reference.Kind value
    kind_label: str
    kind_icon: str


def _detail(domain: str, path: str) -> str:
    if domain == "arxiv.org" and (match := ARXIV_ID.match(path)):
        return f"arXiv {match.group(1)}"
    if domain in {"github.com", "huggingface.co"}:
        owner_and_name = [part for part in path.split("/") if part][:2]
        if len(owner_and_name) == 2:
            return "/".join(owner_and_name)
    return ""


def link_card(url: str, title: str, kind: str | None = None) -> LinkCard | None:
    """The card for `url` titled `title`; `kind` overrides the one read from the URL (a
    reference's kind as an editor set it). None without a URL."""
    if not url:
        return None
    kind = kind or infer_reference_kind(url)
    try:
        kind_label = Reference.Kind(kind).label
    except ValueError:
        kind, kind_label = Reference.Kind.SITE, Reference.Kind.SITE.label
    domain = domain_of(url)
    return LinkCard(
        url=url,
        title=title,
        domain=domain,
        detail=_detail(domain, urlparse(url).path),
        kind=kind,
        kind_label=kind_label,
        kind_icon=Reference.KIND_ICONS.get(kind, "🔗"),
    )

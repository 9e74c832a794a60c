from django import template

from roadmap.pages import skeleton

register = template.Library()


@register.simple_tag
def hole(kind: str, *args) -> str:
    """Where a skeleton's visitor value goes (see roadmap/pages/skeleton.py)."""
    return skeleton.hole(kind, *args)

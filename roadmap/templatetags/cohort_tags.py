from django import template

from roadmap.cohorts.nav import cohorts_nav_item
from roadmap.pages.skeleton import hole

register = template.Library()


@register.simple_tag(takes_context=True)
def cohorts_nav(context) -> str:
    """The header's «Cohortes» item: a hole in a skeleton (filled per visitor), else the item."""
    if context.get("skeleton"):
        return hole("cohorts_nav")
    request = context.get("request")
    if request is None:
        return ""
    match = getattr(request, "resolver_match", None)
    return cohorts_nav_item(request, current=bool(match) and match.url_name == "cohort_list")

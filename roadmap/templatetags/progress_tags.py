from django import template

from roadmap.learning.selectors import heat_level
from roadmap.models import Status

register = template.Library()


@register.inclusion_tag("roadmap/partials/status_form.html", takes_context=True)
def status_form(context, topic, section, next_url: str):
    return {
        "topic": topic,
        "section": section,
        "next": next_url,
        "status_choices": Status.choices,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("roadmap/partials/node_status_form.html", takes_context=True)
def node_status_form(context, topic, section, next_url: str):
    """The overview's variant: no pressed state (the node shows the status), less to send."""
    return status_form(context, topic, section, next_url)


@register.inclusion_tag("roadmap/partials/progress_bar.html")
def progress_bar(tally, kind: str, pk=None, label: str = ""):
    """kind: "overall", "part" or "section"; the JS finds every bar of a scope to update it."""
    scope = f"{kind}-{pk}" if pk else kind
    return {"tally": tally, "scope": scope, "label": label}


register.filter("heat_level", heat_level)

"""Files that browsers and crawlers ask for by a fixed name at the site's root."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

ICON_CACHE_SECONDS = 24 * 60 * 60


@require_safe
def favicon(request):
    """`/favicon.ico`, which browsers request even with a `<link rel="icon">`: the site's icon.

    A temporary redirect to its versioned static address: a permanent one would be kept by
    browsers past the deploy that renames the file; a day in caches spares the round trip."""
    response = redirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=ICON_CACHE_SECONDS)
    return response

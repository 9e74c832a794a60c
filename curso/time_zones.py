"""The one rule that turns a stored time-zone name into a zone, for every app."""

import zoneinfo

from django.conf import settings


def zone_or_site(name: str) -> zoneinfo.ZoneInfo:
    """The zone called `name`, or the site's (`TIME_ZONE`) if that name is unknown or malformed.

    It is what `accounts.User.zone` returns, and what counts a learner's days where no user
    object is at hand (roadmap/learning/rollup.py): both always agree on a learner's day."""
    try:
        return zoneinfo.ZoneInfo(name)  # ZoneInfo keeps one instance per name
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)

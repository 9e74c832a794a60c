"""Status changes made at a chosen moment, through the real service (event and daily rollup)."""

import datetime
from unittest import mock

from roadmap.learning.services import progress_set_status


def set_status_at(when: datetime.datetime, *, user, topic, status):
    """`progress_set_status` as if it ran at `when` (an aware datetime)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return progress_set_status(user=user, topic=topic, status=status)

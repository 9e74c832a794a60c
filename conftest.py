"""Fixtures shared by every test package."""

import pytest
from django.core.management import call_command

from roadmap.models import Part


@pytest.fixture
def course(db):
    """The real course, loaded from the committed fixture (as `make run` does)."""
    if not Part.objects.exists():
        call_command("loaddata", "curso", verbosity=0)
    return Part.objects.all()

import datetime

import pytest
from django.utils import timezone

from roadmap.models import Cohort, CohortMembership


@pytest.fixture
def cohort(course, ana, bruno):
    """A cohort that started 30 days ago: Bruno teaches it, Ana learns in it."""
    cohort = Cohort.objects.create(
        name="Cohorte marzo",
        slug="cohorte-marzo",
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    CohortMembership.objects.create(cohort=cohort, user=bruno, role="instructor")
    CohortMembership.objects.create(cohort=cohort, user=ana, role="aprendiz")
    return cohort

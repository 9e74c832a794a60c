"""The admin of the roadmap app lives with each feature; importing registers it."""

from .catalog import admin as catalog_admin  # noqa: F401
from .catalog import admin_proposals  # noqa: F401
from .cohorts import admin as cohorts_admin  # noqa: F401

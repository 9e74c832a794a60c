from .cohorts import (
    cohort_csv,
    cohort_dashboard,
    cohort_join,
    cohort_learner,
    cohort_leave,
    cohort_list,
    cohort_pacing,
    cohort_regenerate_code,
    cohort_remove_learner,
)
from .notes import note_delete, note_detail, note_list, note_save
from .pages import health, home, resources, search, section_detail, topic_detail
from .progress import my_progress, topic_status

__all__ = [
    "cohort_csv",
    "cohort_dashboard",
    "cohort_join",
    "cohort_learner",
    "cohort_leave",
    "cohort_list",
    "cohort_pacing",
    "cohort_regenerate_code",
    "cohort_remove_learner",
    "health",
    "home",
    "my_progress",
    "note_delete",
    "note_detail",
    "note_list",
    "note_save",
    "resources",
    "search",
    "section_detail",
    "topic_detail",
    "topic_status",
]

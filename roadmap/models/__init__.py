from .cohorts import Cohort, CohortMembership, SectionTarget
from .content import (
    Course,
    Part,
    Reference,
    Resource,
    ResourceGroup,
    Section,
    Topic,
)
from .learning import Note, ProgressEvent, Status, TopicProgress
from .redirects import SlugHistory

__all__ = [
    "Cohort",
    "CohortMembership",
    "SectionTarget",
    "SlugHistory",
    "Course",
    "Note",
    "Part",
    "ProgressEvent",
    "Reference",
    "Resource",
    "ResourceGroup",
    "Section",
    "Status",
    "Topic",
    "TopicProgress",
]

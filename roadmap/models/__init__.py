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

__all__ = [
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

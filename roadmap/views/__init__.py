from .notes import note_delete, note_detail, note_list, note_save
from .pages import home, resources, search, section_detail, topic_detail
from .progress import my_progress, topic_status

__all__ = [
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

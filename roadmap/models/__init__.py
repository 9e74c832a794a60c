"""The roadmap app's models, defined by feature; re-exported here so the app label and its
migrations stay where they are."""

from roadmap.catalog.models import Course, Part, Reference, Section, Topic
from roadmap.catalog.proposals import AttachmentProposal
from roadmap.catalog.redirects import SlugHistory
from roadmap.catalog.resources import Resource, ResourceGroup
from roadmap.catalog.versions import ContentVersion
from roadmap.cohorts.models import Cohort, CohortMembership, DigestDelivery, SectionTarget
from roadmap.learning.models import (
    DailyActivity,
    LearnerSummary,
    Note,
    ProgressEvent,
    Status,
    TopicProgress,
)

__all__ = [
    "AttachmentProposal",
    "Cohort",
    "CohortMembership",
    "ContentVersion",
    "Course",
    "DailyActivity",
    "DigestDelivery",
    "LearnerSummary",
    "Note",
    "Part",
    "ProgressEvent",
    "Reference",
    "Resource",
    "ResourceGroup",
    "Section",
    "SectionTarget",
    "SlugHistory",
    "Status",
    "Topic",
    "TopicProgress",
]

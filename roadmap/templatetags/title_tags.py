"""Titles with inline code: `{{ topic.title|title_html }}` in HTML, `|title_text` in plain text."""

from django import template

from roadmap.catalog.titles import title_html, title_text

register = template.Library()

register.filter("title_html", title_html)
register.filter("title_text", title_text)

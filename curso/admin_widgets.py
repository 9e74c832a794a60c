"""Admin widgets that hold against crafted input.

Django's AutocompleteSelect looks up the submitted value when it redraws a form with errors; a
value that is not an id (a word, a NUL) raises ValueError there: a 500 instead of the form with
its error. These widgets only look up values the related field can read.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        remote_opts = self.field.remote_field.model._meta
        to_field = getattr(self.field.remote_field, "field_name", remote_opts.pk.attname)
        target = remote_opts.get_field(to_field)
        readable = []
        for item in value:
            try:
                target.run_validators(target.to_python(item))  # an id, in the column's range
            except (ValidationError, TypeError, ValueError, OverflowError):
                continue
            readable.append(item)
        return super().optgroups(name, readable, attr)


class SafeAutocompleteMixin:
    """For ModelAdmins and inlines with `autocomplete_fields`."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

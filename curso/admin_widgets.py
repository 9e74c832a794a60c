"""Admin widgets that hold against crafted input.

Django's AutocompleteSelect (and its multiple version) looks up the submitted values when it
redraws a form with errors; a value that is not an id (a word, a NUL) raises ValueError there: a
500 instead of the form with its error. These widgets only look up values the related field can
read. The same goes for a many-to-many field's own check of the submitted ids: an id past the
column's range is an OverflowError on SQLite. `SafeModelMultipleChoiceField` refuses it first.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms import ModelMultipleChoiceField


def _readable(field, item) -> bool:
    """Whether `item` is a value the model field `field` can read (an id in the column's range)."""
    try:
        field.run_validators(field.to_python(item))
    except (ValidationError, TypeError, ValueError, OverflowError):
        return False
    return True


class SafeModelMultipleChoiceField(ModelMultipleChoiceField):
    def _check_values(self, value):
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        if not isinstance(value, (str, bytes)):
            for item in value:
                if isinstance(item, str) and not _readable(target, item):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super()._check_values(value)


class _ReadableValuesOnly:
    def optgroups(self, name, value, attr=None):
        remote_opts = self.field.remote_field.model._meta
        to_field = getattr(self.field.remote_field, "field_name", remote_opts.pk.attname)
        target = remote_opts.get_field(to_field)
        readable = [item for item in value if _readable(target, item)]
        return super().optgroups(name, readable, attr)


class SafeAutocompleteSelect(_ReadableValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ReadableValuesOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For ModelAdmins and inlines with `autocomplete_fields`."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

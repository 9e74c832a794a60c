from django import forms

from .models import SectionTarget


def page_number_field() -> forms.IntegerField:
    """`?pagina=`: garbage falls back to the first page with a message, never a 500."""
    return forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": "Página no válida: se muestra la primera.",
            "min_value": "Página no válida: se muestra la primera.",
        },
    )


class CohortViewForm(forms.Form):
    orden = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Nombre"),
            ("nombre", "Nombre"),
            ("progreso", "Progreso"),
            ("actividad", "Actividad"),
        ],
        error_messages={"invalid_choice": "Orden desconocido: se ordena por nombre."},
    )
    filtro = forms.ChoiceField(
        required=False,
        choices=[("", "Todos"), ("inactivos", "Inactivos"), ("atrasados", "Atrasados")],
        error_messages={"invalid_choice": "Filtro desconocido: se muestran todos."},
    )
    pagina = page_number_field()


class CohortListForm(forms.Form):
    pagina = page_number_field()


class PacingForm(forms.Form):
    """One optional date per section: the cohort's target for finishing it."""

    def __init__(self, *args, sections, targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            target = targets.get(section.pk)
            self.fields[f"seccion_{section.pk}"] = forms.DateField(
                label=section.title,
                required=False,
                initial=target.due_date if target else None,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": "Fecha no válida: usá el formato AAAA-MM-DD."},
            )

    def section_fields(self):
        return [(section, self[f"seccion_{section.pk}"]) for section in self.sections]

    def save(self, cohort) -> None:
        for section in self.sections:
            due = self.cleaned_data.get(f"seccion_{section.pk}")
            if due:
                SectionTarget.objects.update_or_create(
                    cohort=cohort, section=section, defaults={"due_date": due}
                )
            else:
                SectionTarget.objects.filter(cohort=cohort, section=section).delete()

from django import forms

from .markdown import MarkdownError, render_markdown
from .models import Note, ResourceGroup, SectionTarget, Status
from .search import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, query_words


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Buscar en el curso",
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": "Escribí qué querés buscar: una palabra o parte de un título.",
            "max_length": (
                f"La búsqueda es demasiado larga: usá como máximo {MAX_QUERY_LENGTH} caracteres."
            ),
            "null_characters_not_allowed": "La búsqueda tiene caracteres no válidos.",
        },
    )

    def clean_q(self) -> list[str]:
        words = query_words(self.cleaned_data["q"])
        if not words:
            raise forms.ValidationError("Escribí al menos una palabra con letras o números.")
        if len(words) > MAX_QUERY_WORDS:
            raise forms.ValidationError(f"Demasiadas palabras: usá como máximo {MAX_QUERY_WORDS}.")
        return words


class ResourceFilterForm(forms.Form):
    tipo = forms.ChoiceField(
        label="Tipo",
        required=False,
        choices=[("", "Todos")] + list(ResourceGroup.Kind.choices),
        error_messages={"invalid_choice": "Ese tipo de recurso no existe: elegí uno de la lista."},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Status.choices,
        error_messages={
            "required": "Falta el estado.",
            "invalid_choice": (
                "Estado desconocido: usá Pendiente, En progreso, Completado u Omitido."
            ),
        },
    )


class RenderedMarkdownForm(forms.ModelForm):
    """A model form that renders the instance's changed Markdown while it validates.

    A text that cannot be rendered in time gets the renderer's message on its own field, and the
    form shows the text again: nothing is lost. Rendering happens here, before any write; the
    admin renders even earlier, before its transaction, and hands the results in `prerendered`.
    """

    prerendered: dict = {}

    def _post_clean(self):
        super()._post_clean()
        for source, message in self.instance.render_markdown_fields(self.prerendered).items():
            self.add_error(source if source in self.fields else None, message)


def prerender_markdown(model, data) -> dict:
    """{(text, inline): HTML or the MarkdownError} for the model's Markdown fields in `data`.

    Texts are stripped as the admin's form fields strip them, so the form finds them here."""
    results = {}
    for source, (_target, inline) in model.MARKDOWN_FIELDS.items():
        text = data.get(source)
        if isinstance(text, str):
            text = text.strip()
            try:
                results[text, inline] = render_markdown(text, inline=inline)
            except MarkdownError as error:
                results[text, inline] = error
    return results


class NoteForm(RenderedMarkdownForm):
    body = forms.CharField(
        label="Tu nota (Markdown, solo la ves vos)",
        max_length=Note.MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "La nota está vacía. Para borrarla usá «Borrar nota».",
            "max_length": (
                f"La nota es demasiado larga: el máximo es {Note.MAX_LENGTH:,} caracteres "
                "(tiene %(show_value)s). Tu texto sigue acá abajo para que lo acortes."
            ).replace(",", "."),
            "null_characters_not_allowed": "La nota tiene caracteres no válidos.",
        },
    )

    class Meta:
        model = Note
        fields = ["body"]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("La nota está vacía. Para borrarla usá «Borrar nota».")
        return body


class NoteSearchForm(forms.Form):
    q = forms.CharField(
        label="Buscar en mis notas",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"La búsqueda es demasiado larga (máximo {MAX_QUERY_LENGTH} caracteres).",
            "null_characters_not_allowed": "La búsqueda tiene caracteres no válidos.",
        },
    )

    def clean_q(self) -> list[str]:
        return query_words(self.cleaned_data["q"])[:MAX_QUERY_WORDS]


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

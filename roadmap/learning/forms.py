from django import forms

from roadmap.catalog.forms import RenderedMarkdownForm
from roadmap.catalog.search import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, query_words

from .models import Note, Status


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


EMPTY_NOTE = "La nota está vacía: escribí algo antes de guardarla."
EMPTY_SAVED_NOTE = "La nota está vacía. Si querés borrarla, usá «Borrar nota»."


class NoteForm(RenderedMarkdownForm):
    body = forms.CharField(
        label="Tu nota (Markdown, solo la ves vos)",
        max_length=Note.MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": EMPTY_NOTE,
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # only then is there a «Borrar nota» button next to the form
            self.fields["body"].error_messages["required"] = EMPTY_SAVED_NOTE

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
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

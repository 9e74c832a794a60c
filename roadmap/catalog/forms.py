from django import forms

from .markdown import MarkdownError, render_markdown
from .resources import ResourceGroup
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

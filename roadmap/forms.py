from django import forms

from .models import ResourceGroup
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

"""The name of a learner's public page (`/aprendices/<handle>/`): what it may be, defined once."""

import re

from django.core.exceptions import ValidationError

MIN_LENGTH, MAX_LENGTH = 3, 30
# Lower-case letters and digits, words joined by single hyphens (no hyphen at either end).
SHAPE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Names that would read as the site speaking, or that the site uses for its own pages.
RESERVED = frozenset(
    {
        "about",
        "accounts",
        "admin",
        "administracion",
        "administrador",
        "api",
        "aprendices",
        "aprendiz",
        "ayuda",
        "buscar",
        "cohorte",
        "cohortes",
        "contacto",
        "cuenta",
        "curso",
        "editor",
        "editores",
        "equipo",
        "instructor",
        "instructora",
        "instructores",
        "login",
        "logout",
        "mi-progreso",
        "mis-notas",
        "moderador",
        "null",
        "perfil",
        "perfil-publico",
        "recursos",
        "root",
        "salud",
        "secciones",
        "signup",
        "sistema",
        "soporte",
        "staff",
        "static",
        "superusuario",
        "undefined",
        "vista-previa",
        "www",
    }
)


def normalize_handle(value: str) -> str:
    """The stored form: trimmed and lower-case, so «Ana-Q» and «ana-q» are the same name."""
    return (value or "").strip().lower()


def validate_handle(value: str) -> None:
    """Raise a ValidationError (in voseo) unless `value` may name a public page."""
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        raise ValidationError(
            f"Usá entre {MIN_LENGTH} y {MAX_LENGTH} caracteres (tiene {len(value)}).",
            code="length",
        )
    if not SHAPE.fullmatch(value):
        raise ValidationError(
            "Usá solo letras minúsculas sin tildes (a-z), números y guiones entre palabras "
            "(sin espacios, ni guiones al principio, al final o dos seguidos).",
            code="shape",
        )
    if value in RESERVED:
        raise ValidationError(
            "Ese nombre está reservado para el sitio: elegí otro.", code="reserved"
        )

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from curso.time_zones import zone_or_site

from .handles import validate_handle


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names]


def canonical_email(email: str) -> str:
    """The one stored form of an email: lower-case, so every lookup is an exact, indexed match."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("El email es obligatorio.")
        user = self.model(email=canonical_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("Un superusuario necesita is_staff e is_superuser.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        """The login lookup (ModelBackend): emails are stored lower-case, so an exact match on
        the lower-cased input uses the unique index instead of scanning `UPPER(email)`."""
        return self.get(email=canonical_email(email))


class User(AbstractBaseUser, PermissionsMixin):
    """A person using curso. The email is the login; there are no usernames."""

    email = models.EmailField(
        "email",
        max_length=254,
        unique=True,
        error_messages={"unique": "Ya existe una cuenta con ese email."},
    )
    display_name = models.CharField(
        "nombre visible",
        max_length=80,
        blank=True,
        help_text="Se muestra en lugar del email donde aparezcan nombres.",
    )
    time_zone = models.CharField(
        "zona horaria",
        max_length=64,
        default=settings.TIME_ZONE,
        help_text="Para tus rachas y tu actividad diaria.",
    )
    # Mail preferences (curso/emails.py; each email also carries a one-click unsubscribe link).
    weekly_digest = models.BooleanField(
        "resumen semanal de mis cohortes",
        default=True,
        help_text="Para quienes dictan una cohorte: un email los lunes con quién se atrasó, "
        "quién está inactivo/a y quién terminó secciones.",
    )
    learner_nudges = models.BooleanField(
        "recordatorios de mi ritmo",
        default=False,
        help_text="Un email si te atrasás con una meta de tu cohorte o pasás 7 días sin marcar "
        "un tema; a lo sumo uno por semana.",
    )
    last_nudge_at = models.DateTimeField("último recordatorio", null=True, blank=True)
    is_staff = models.BooleanField(
        "acceso al admin",
        default=False,
        help_text="Puede entrar al sitio de administración.",
    )
    is_active = models.BooleanField("activo", default=True)
    date_joined = models.DateTimeField("fecha de alta", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"
        constraints = [
            # Stored lower-case (`save`): the unique index on `email` is then case-insensitive.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="accounts_user_email_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = canonical_email(self.email)

    def save(self, *args, **kwargs):
        self.email = canonical_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The learner's time zone, falling back to the site's if the stored name is unknown."""
        return zone_or_site(self.time_zone)


class PublicProfile(models.Model):
    """A learner's opt-in public progress page (`/aprendices/<handle>/`): off until published.

    Its own table, read only by the public page and its settings: the user row, loaded on every
    request, stays as it was. Deleting the account deletes it (and frees the handle)."""

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="public_profile",
        verbose_name="aprendiz",
    )
    handle = models.CharField(
        "nombre de tu página",
        max_length=30,
        unique=True,
        validators=[validate_handle],
        error_messages={"unique": "Ese nombre ya lo usa otra persona: elegí otro."},
    )
    is_published = models.BooleanField("publicada", default=False)
    show_name = models.BooleanField("mostrar tu nombre visible", default=False)
    noindex = models.BooleanField("pedir a los buscadores que no la indexen", default=True)
    updated_at = models.DateTimeField("último cambio", auto_now=True)

    class Meta:
        verbose_name = "página pública"
        verbose_name_plural = "páginas públicas"
        constraints = [
            # Stored lower-case (the form lowers it): the unique index is then case-insensitive.
            models.CheckConstraint(
                condition=models.Q(handle=Lower("handle")),
                name="accounts_publicprofile_handle_lower_case",
            ),
        ]

    def __str__(self) -> str:
        return self.handle

    def get_absolute_url(self) -> str:
        return reverse("public_page", args=[self.handle])

    @property
    def shown_name(self) -> str:
        """What the page calls the learner: the handle, or their display name if they chose."""
        return (self.show_name and self.user.display_name.strip()) or self.handle

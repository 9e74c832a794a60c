from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import transaction

from .email_addresses import (
    drop_pending_claims,
    email_change_request,
    email_is_held,
    pending_claims_on,
)
from .handles import MAX_LENGTH, normalize_handle
from .models import PublicProfile, User, time_zone_choices


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label="Zona horaria",
        choices=time_zone_choices,
        help_text="Se usa para contar tus días de actividad y tus rachas.",
        error_messages={"invalid_choice": "Elegí una zona horaria de la lista."},
    )

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "learner_nudges", "weekly_digest"]
        labels = {
            "display_name": "Nombre visible",
            "learner_nudges": "Recordatorios de mi ritmo",
            "weekly_digest": "Resumen semanal de mis cohortes",
        }
        help_texts = {
            "display_name": "Opcional. Se muestra en lugar de tu email.",
            "learner_nudges": (
                "Un email si te atrasás con una meta de una cohorte o pasás 7 días sin marcar un "
                "tema; a lo sumo uno por semana."
            ),
            "weekly_digest": (
                "Los lunes, por cada cohorte que dictás: quién se atrasó, quién lleva 7 días sin "
                "actividad y quién terminó secciones."
            ),
        }

    def __init__(self, *args, teaches: bool = False, **kwargs):
        """`teaches`: the person is an instructor of a cohort; only then the digest is theirs
        to turn on or off (and a POST without it leaves it as it was)."""
        super().__init__(*args, **kwargs)
        if not teaches:
            del self.fields["weekly_digest"]


class PublicProfileForm(forms.ModelForm):
    """The public page's settings; publishing and withdrawing it are buttons of their own."""

    class Meta:
        model = PublicProfile
        fields = ["handle", "show_name", "noindex"]
        labels = {
            "handle": "Nombre de tu página",
            "show_name": "Mostrar tu nombre visible en la página",
            "noindex": "Pedir a los buscadores que no la indexen",
        }
        help_texts = {
            "handle": (
                f"Va en la dirección: /aprendices/«nombre»/. Entre 3 y {MAX_LENGTH} caracteres: "
                "letras minúsculas sin tildes, números y guiones. Si lo cambiás, la dirección "
                "vieja deja de funcionar."
            ),
            "show_name": (
                "Si no lo marcás (o no tenés nombre visible), se muestra el nombre de la página."
            ),
            "noindex": (
                "Agrega «noindex» a la página: Google y compañía no la listan. Quien tenga el "
                "enlace la puede abrir igual."
            ),
        }
        error_messages = {
            "handle": {
                "required": "Elegí un nombre para tu página.",
                "max_length": f"Usá como mucho {MAX_LENGTH} caracteres.",
            }
        }

    def clean_handle(self) -> str:
        return normalize_handle(self.cleaned_data["handle"])


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Tu contraseña",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Escribí tu contraseña para confirmar."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("La contraseña no es correcta. No se borró nada.")
        return password


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up: another account's unverified change request never blocks the owner."""

    def validate_unique_email(self, value: str) -> str:
        if not email_is_held(value) and pending_claims_on(value).exists():
            self.account_already_exists = False
            return get_adapter().validate_unique_email(value)
        return super().validate_unique_email(value)

    def save(self, request):
        with transaction.atomic():
            drop_pending_claims(request=request, email=self.cleaned_data["email"])
            return super().save(request)


class AddEmailForm(allauth_forms.AddEmailForm):
    """allauth's "change email": the current address stays the login until the new is verified."""

    def save(self, request):
        return email_change_request(
            request=request, user=self.user, email=self.cleaned_data["email"]
        )

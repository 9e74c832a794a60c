from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import User, time_zone_choices


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
        fields = ["display_name", "time_zone"]
        labels = {"display_name": "Nombre visible"}
        help_texts = {"display_name": "Opcional. Se muestra en lugar de tu email."}


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

import json

from allauth.account.models import EmailAddress
from allauth.account.views import EmailView as AllauthEmailView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from curso.emails import read_unsubscribe_token
from roadmap.cohorts.models import CohortMembership

from .email_addresses import pending_addresses
from .exports import export_csv as build_csv
from .exports import export_data, export_notes_markdown
from .forms import DeleteAccountForm, ProfileForm
from .models import PublicProfile, User


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile(request):
    teaches = CohortMembership.objects.filter(
        user=request.user, role=CohortMembership.Role.INSTRUCTOR
    ).exists()
    form = ProfileForm(
        request.POST if request.method == "POST" else None, instance=request.user, teaches=teaches
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Perfil guardado.")
        return redirect("accounts:profile")
    context = {
        "form": form,
        "public_profile": PublicProfile.objects.filter(user=request.user).first(),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def export_page(request):
    return render(request, "accounts/export.html")


def _download(content: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def export_json(request):
    data = export_data(request.user, absolute_url=request.build_absolute_uri)
    content = json.dumps(data, ensure_ascii=False, indent=2)
    return _download(content, "curso-datos.json", "application/json; charset=utf-8")


@require_safe
@login_required
def export_csv(request):
    return _download(build_csv(request.user), "curso-progreso.csv", "text/csv; charset=utf-8")


@require_safe
@login_required
def export_notes(request):
    content = export_notes_markdown(request.user)
    return _download(content, "curso-notas.md", "text/markdown; charset=utf-8")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()
        messages.success(request, "Tu cuenta, tu progreso y tus notas fueron eliminados.")
        return redirect("roadmap:home")
    status = 400 if form.errors else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


# The signed token is the authorisation, not a session or a CSRF token: mail clients send the
# RFC 8058 one-click POST (`List-Unsubscribe=One-Click`) with neither, and the link must work
# signed out. A forged, altered or expired token (or one for an account that no longer exists)
# finds nothing: 404. GET only shows the button; only the POST changes anything.
@csrf_exempt
@cache_control(private=True, no_store=True)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    found = read_unsubscribe_token(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        return render(request, "accounts/unsubscribe_invalid.html", status=404)
    kind = found[1]
    if request.method == "POST":
        User.objects.filter(pk=user.pk).update(**{kind.field: False})
        return render(request, "accounts/unsubscribe.html", {"kind": kind, "done": True})
    subscribed = getattr(user, kind.field)
    return render(request, "accounts/unsubscribe.html", {"kind": kind, "subscribed": subscribed})


class EmailView(AllauthEmailView):
    """allauth's email page (/accounts/email/) with the address change made safe.

    The current address (``User.email``) stays the login until the new one is verified: a pending
    address cannot be made primary, and a write that would give the account another account's
    address answers with a message instead of a 500.
    """

    def post(self, request, *args, **kwargs):
        if "action_primary" in request.POST and "action_add" not in request.POST:
            email = request.POST.get("email", "")
            if pending_addresses(request.user).filter(email__iexact=email).exists():
                messages.error(
                    request, "Primero confirmá la dirección nueva con el enlace que te mandamos."
                )
                return redirect("account_email")
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except IntegrityError:
            messages.error(request, "Esa dirección ya es el email de otra cuenta.")
            return redirect("account_email")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["current_emailaddress"] = EmailAddress.objects.filter(
            user_id=user.pk, email__iexact=user.email
        ).first()
        context["new_emailaddress"] = pending_addresses(user).order_by("pk").last()
        return context


email = EmailView.as_view()

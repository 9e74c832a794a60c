import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .exports import export_csv as build_csv
from .exports import export_data, export_notes_markdown
from .forms import DeleteAccountForm, ProfileForm


@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Perfil guardado.")
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
@login_required
def export_page(request):
    return render(request, "accounts/export.html")


def _download(content: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def export_json(request):
    content = json.dumps(export_data(request.user), ensure_ascii=False, indent=2)
    return _download(content, "curso-datos.json", "application/json; charset=utf-8")


@require_GET
@login_required
def export_csv(request):
    return _download(build_csv(request.user), "curso-progreso.csv", "text/csv; charset=utf-8")


@require_GET
@login_required
def export_notes(request):
    content = export_notes_markdown(request.user)
    return _download(content, "curso-notas.md", "text/markdown; charset=utf-8")


@require_http_methods(["GET", "POST"])
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

from django.http import HttpResponse
from django.urls import path


def hola(request):
    return HttpResponse("hola")


urlpatterns = [path("", hola)]

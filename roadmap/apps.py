from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Contenido del curso"

    def ready(self):
        from . import signals

        signals.connect()

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"

    def ready(self) -> None:
        # Registers the `__any` lookup on every field.
        from apps.core import db  # noqa: F401

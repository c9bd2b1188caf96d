from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "apps.conflicts"

    def ready(self) -> None:
        from apps.conflicts import signals  # noqa: F401  (connects the receivers)

"""Users; roles are Django permissions so admins grant them through groups."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    class Meta:
        permissions = [
            ("review_conflicts", "Can review conflicts and merge or split definitions"),
        ]

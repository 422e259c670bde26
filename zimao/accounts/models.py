from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Custom from day one so roles and scopes can be added without a painful swap later."""

    display_name = models.CharField(_("显示名称"), max_length=100, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username

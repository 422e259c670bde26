"""Production guards: a server does not start with the development secret key."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_KEY_MESSAGE = (
    "SECRET_KEY 仍是开发用默认值，DEBUG=false 的生产环境拒绝启动。"
    "请通过环境变量 SECRET_KEY 或 SECRET_KEY_FILE 设置一个随机密钥"
    "（例如 python3 -c 'import secrets; print(secrets.token_urlsafe(50))'）。\n"
    "SECRET_KEY is the development default; with DEBUG=false the server refuses to start. "
    "Set SECRET_KEY or SECRET_KEY_FILE to a random key."
)


def uses_development_key() -> bool:
    return bool(settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY)


def refuse_development_key() -> None:
    """Raise when a production server (DEBUG off) would sign sessions with the public key."""
    if not settings.DEBUG and uses_development_key():
        raise ImproperlyConfigured(DEVELOPMENT_KEY_MESSAGE)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if uses_development_key():
        return [Error(DEVELOPMENT_KEY_MESSAGE, id="zimao.E001")]
    return []

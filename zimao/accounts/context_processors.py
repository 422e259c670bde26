from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict[str, int]:
    """Unread notifications for the header badge."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": user.notifications.filter(read_at=None).count()}

"""Form helpers shared by the apps' views."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


def add_errors(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal next to the field it names (or at the top of the form), so the
    page comes back with the user's input and the reason."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)

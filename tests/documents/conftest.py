import pytest
from django.contrib.auth.models import Permission

from zimao.accounts.models import User


@pytest.fixture
def reviewer(db) -> User:
    """Alice may upload documents and review facts."""
    user = User.objects.create_user("alice", password="pw-alice-123")
    codenames = ["add_document", "change_fact"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def reader(db) -> User:
    """Bob can sign in and read, nothing more."""
    return User.objects.create_user("bob", password="pw-bob-123")

import pytest

from tests.factories import person
from zimao.accounts.models import Role, User


@pytest.fixture
def reviewer(db) -> User:
    """Alice, of the national office, may upload documents and review every fact."""
    return person("alice", Role.NATIONAL)


@pytest.fixture
def reader(db) -> User:
    """Bob can sign in and read public pages, nothing more (no membership)."""
    return person("bob")

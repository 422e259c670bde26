import pytest

from zimao.alignment.models import Batch
from zimao.alignment.services import alignment_assign


@pytest.fixture
def assigned(cast):
    """The 2023 batch handed out as pilot tasks by the national office."""
    batch = Batch.objects.get(code="2023-first")
    alignment_assign(user=cast.nina, batch=batch)
    return batch

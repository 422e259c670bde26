"""The kinds of job. Domain apps register theirs (in their AppConfig.ready), so this app never
imports them: the arrows keep pointing down, and the worker knows every kind once apps load."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from zimao.accounts.access import Actor

if TYPE_CHECKING:
    from .models import Job
    from .progress import Progress


@dataclass(frozen=True)
class Outcome:
    """What a finished job leaves: a file under JOBS_DIR, a link, and a closing message."""

    message: str = ""
    file: str = ""  # relative to settings.JOBS_DIR
    url: str = ""


Runner = Callable[["Job", "Progress"], Outcome]


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    run: Runner
    # Who may start a job of this kind; `button`: offered on the jobs page with no parameters.
    may_start: Callable[[Actor], bool]
    button: str | Promise = ""


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.code] = kind


def kind_of(code: str) -> Kind | None:
    return KINDS.get(code)


def label_of(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code

"""Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis),
anonymous and signed in, against a live server: no server error, no response outside the
documented statuses, content types and schemas.

A fixed amount of work with a fixed seed, not a time box: every phase (the schema's examples,
the coverage of each parameter's edge values, fuzzing, stateful links) runs to its end, the
same cases on every run, however busy the machine is (about 3,500 cases per run)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils.crypto import get_random_string

ST = Path(sys.executable).with_name("st")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "allow_header_conformance",
        "unsupported_method",
    ]
)
EXAMPLES = "10"  # fuzzing cases per operation, on top of the examples and coverage phases
SEED = "20261206"


def fuzz(url: str, *headers: str) -> subprocess.CompletedProcess[str]:
    command = [str(ST), "run", f"{url}/api/openapi.json", "--checks", CHECKS]
    command += ["--max-examples", EXAMPLES, "--seed", SEED]
    command += ["--workers", "1", "--request-timeout", "30"]
    for header in headers:
        command += ["-H", header]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture
def server(loaded_live_server):
    """The live server over the loaded reference data (tests/conftest.py)."""
    return loaded_live_server


def session_headers(client) -> tuple[str, str]:
    """Cookie and CSRF headers of a signed-in national administrator."""
    from tests.factories import person
    from zimao.accounts.models import Role

    client.force_login(person("fuzzer", Role.NATIONAL))
    csrf = get_random_string(32)
    session = client.cookies["sessionid"].value
    return f"Cookie: sessionid={session}; csrftoken={csrf}", f"X-CSRFToken: {csrf}"


@pytest.mark.skipif(not shutil.which(str(ST)), reason="schemathesis is not installed")
def test_the_api_survives_fuzzing_anonymous_and_signed_in(server, client):
    anonymous = fuzz(server.url)
    assert anonymous.returncode == 0, anonymous.stdout[-6000:]
    signed_in = fuzz(server.url, *session_headers(client))
    assert signed_in.returncode == 0, signed_in.stdout[-6000:]
    for run in (anonymous, signed_in):  # the counts, in the log of a run with -s
        print(*[line for line in run.stdout.splitlines() if "generated" in line])

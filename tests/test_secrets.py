"""The auth token never appears in an error text, repr, traceback or log line, whatever
shape it arrives in, in the three modes that send it (remote, replica, offline sync)."""

from __future__ import annotations

import logging
import string
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generated.client import create_db_client
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from libsqlkit import ConfigurationError, LibsqlKitError
from tests.conftest import reset_server
from tests.sqld import Sqld

# A distinctive core: no message could contain it by chance.
CORES = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=24, max_size=64).map(
    lambda core: f"eyJ{core}"
)
SPACE = st.sampled_from(["", "\n", "\r\n", " ", "\t", "\n\n", "\x0b\x0c", "\u3000", "\u00a0"])
HOSTILE = st.sampled_from(
    ["\n", "\r", "\x00", " ", "\x7f", "é", "\u200b", "🔑", "\ud800", ":", "\\", '"', "\x1b[31m"]
)


class Recorder(logging.Handler):
    """Every log record of every logger, at every level, formatted."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def records() -> Iterator[Recorder]:
    recorder = Recorder()
    root = logging.getLogger()
    level = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    yield recorder
    root.removeHandler(recorder)
    root.setLevel(level)


def _use(mode: str, token: str, server: Sqld, folder: Path) -> str:
    """Open a client with `token`, do one call that sends it; every text it produced."""
    seen: list[str] = []
    try:
        if mode == "remote":
            db = create_db_client(server.url, auth_token=token)
        elif mode == "replica":
            db = create_db_client(f"file:{folder / 'r.db'}", sync_url=server.url, auth_token=token)
        else:
            db = create_db_client(
                f"file:{folder / 'o.db'}",
                sync_url=server.url,
                auth_token=token,
                sync_mode="offline",
                sync_interval=0,
            )
        seen.append(repr(db))
        with db:
            if mode == "offline":
                db.create_schema()
                WorkflowRepository(db).create(NewWorkflow(type="t", user_id="u"))
                seen.append(repr(db.sync()))
            else:
                seen.append(repr(WorkflowRepository(db).count()))
    except LibsqlKitError as error:
        seen += [str(error), repr(error), "".join(traceback.format_exception(error))]
    except Exception as error:  # anything untyped is itself a failure
        pytest.fail(
            f"untyped {type(error).__name__} (its text is not shown: it may hold the token)"
        )
    return "\n".join(seen)


@pytest.fixture(scope="module")
def schema_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sqld]:
    """A server with auth and the schema, so valid tokens reach real calls."""
    server = Sqld(tmp_path_factory.mktemp("secrets"), auth=True).start()
    reset_server(server)
    with create_db_client(server.url, auth_token=server.token()) as admin:
        admin.create_schema()
    yield server
    server.stop()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    core=CORES,
    valid=st.booleans(),
    before=SPACE,
    after=SPACE,
    inside=st.none() | HOSTILE,
    position=st.floats(0, 1),
)
@pytest.mark.parametrize("mode", ["remote", "replica", "offline"])
def test_no_text_or_log_line_ever_holds_the_token(
    mode: str,
    schema_server: Sqld,
    tmp_path_factory: pytest.TempPathFactory,
    records: Recorder,
    core: str,
    valid: bool,
    before: str,
    after: str,
    inside: str | None,
    position: float,
) -> None:
    records.lines.clear()
    secret = schema_server.token() if valid else core
    at = int(len(secret) * position)
    token = before + (secret[:at] + inside + secret[at:] if inside else secret) + after
    texts = _use(mode, token, schema_server, tmp_path_factory.mktemp(mode))
    logged = "\n".join(records.lines)
    # Neither the whole token nor a long piece of it (a cut at the inserted character).
    pieces = [secret, secret[:at], secret[at:]] if inside else [secret]
    for piece in (p for p in pieces if len(p) >= 16):
        assert piece not in texts, "an error or repr shows the token"
        assert piece not in logged, "a log line shows the token"


def test_surrounding_white_space_is_dropped_as_when_read_from_a_file(
    schema_server: Sqld,
) -> None:
    """The issue's case: TURSO_AUTH_TOKEN read from a file, with its newline."""
    with create_db_client(schema_server.url, auth_token=f" {schema_server.token()}\n") as db:
        assert WorkflowRepository(db).count() >= 0


@pytest.mark.parametrize("bad", ["\x00", " ", "é", "\n"])
def test_an_invalid_character_inside_is_refused_by_position_without_the_token(
    schema_server: Sqld, bad: str
) -> None:
    token = schema_server.token()
    with pytest.raises(
        ConfigurationError, match=r"invalid character U\+[0-9A-F]{4} at position 8"
    ) as caught:
        create_db_client(schema_server.url, auth_token=token[:7] + bad + token[7:])
    assert token[7:] not in str(caught.value) and token[7:] not in repr(caught.value)

"""`make studio` in a real browser (headless Chromium), on real databases.

The browser opens the workflows table, follows the status facet to filter, opens a row
with its JSON payload, and saves a screenshot in the test's folder. (Attacks on the
studio are in tests/test_studio_security.py.)
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generated.client import create_db_client
from generated.models import NewWorkflow
from generated.repositories import WorkflowRepository
from tests.sqld import Sqld, free_port
from tests.studio_browser import FLAGS, Browser, chromium

ROOT = Path(__file__).parent.parent
STATUSES = ["PENDING", "FAILED", "COMPLETED", "FAILED", "RETRYING"]


def _fill(url: str, **kwargs: str) -> None:
    with create_db_client(url, **kwargs) as db:  # type: ignore[arg-type]
        db.create_schema()
        workflows = WorkflowRepository(db)
        for i, status in enumerate(STATUSES):
            workflows.create(
                NewWorkflow(
                    id=f"wf-{i}",
                    type="summarize",
                    user_id=f"user-{i % 2}",
                    status=status,  # type: ignore[arg-type]
                    input_payload={
                        "prompt": f"Summarize report {i}",
                        "options": {"temperature": 0.25},
                    },
                    created_at=datetime(2025, 1, i + 1, tzinfo=UTC),
                )
            )
        workflows.soft_delete("wf-4")


class Studio:
    """`studio` on a free port: by default this repository's `python -m codegen`; `program`
    and `cwd` run another install of the command in another project."""

    def __init__(
        self,
        url: str,
        folder: Path,
        *,
        write: bool = False,
        env: dict[str, str] | None = None,
        program: Sequence[str] = (sys.executable, "-m", "codegen"),
        cwd: Path = ROOT,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [
            *program,
            "studio",
            "--url",
            url,
            "--port",
            str(self.port),
        ]
        self.log = (folder / f"studio-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [*command, *(["--write"] if write else [])],
            cwd=cwd,
            stdout=self.log,
            stderr=self.log,
            env={**os.environ, **(env or {})},
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/app", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the studio did not start: {(folder / f'studio-{self.port}.log').read_text()}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"file:{tmp_path / 'app.db'}"
    _fill(url)
    return url


@pytest.fixture
def studio(database: str, tmp_path: Path) -> Iterator[Studio]:
    running = Studio(database, tmp_path)
    yield running
    running.stop()


def _browse(url: str, folder: Path, *extra: str) -> str:
    result = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={folder / 'chromium'}", *extra, url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_browse_filter_open_json_and_screenshot(studio: Studio, tmp_path: Path) -> None:
    table = _browse(f"{studio.base}/app/workflows", tmp_path, "--dump-dom")
    assert "5 rows" in table and "A unit of work run for a user" in table
    assert "[deleted]" in table  # wf-4 is soft-deleted, and marked
    facet = re.search(r'href="([^"]*status=FAILED[^"]*)"', table)
    assert facet, "the status facet offers FAILED"
    filtered_url = urllib.parse.urljoin(
        f"{studio.base}/app/workflows", html.unescape(facet.group(1))
    )
    filtered = _browse(filtered_url, tmp_path, "--dump-dom")
    assert "2 rows where status = " in filtered
    assert "wf-1" in filtered and "wf-3" in filtered and "wf-0" not in filtered
    row = _browse(f"{studio.base}/app/workflows/wf-1", tmp_path, "--dump-dom")
    assert 'class="studio-json"' in row
    assert '"temperature": 0.25' in row and '\n  "options": {' in html.unescape(row)  # pretty JSON
    assert "2025-01-02 00:00:00 UTC" in row  # a timestamp shown as a date
    shot = tmp_path / "studio.png"
    _browse(filtered_url, tmp_path, f"--screenshot={shot}", "--window-size=1400,1800")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_soft_deleted_rows_can_be_hidden(studio: Studio, tmp_path: Path) -> None:
    live = _browse(f"{studio.base}/app/workflows_live", tmp_path, "--dump-dom")
    assert "wf-0" in live and "wf-4" not in live
    hidden = _browse(f"{studio.base}/app/workflows?deleted_at__isnull=1", tmp_path, "--dump-dom")
    assert "4 rows" in hidden


def test_canned_query_of_a_declared_finder(studio: Studio) -> None:
    with urllib.request.urlopen(
        f"{studio.base}/app/workflows_find_by_user_id.json?user_id=user-1&_shape=array"
    ) as response:
        rows = __import__("json").loads(response.read())
    assert [r["id"] for r in rows] == ["wf-3", "wf-1"]  # newest first


def test_bookkeeping_tables_are_hidden(studio: Studio) -> None:
    with urllib.request.urlopen(f"{studio.base}/app") as response:
        page = response.read().decode()
    assert 'href="/app/workflows"' in page
    for internal in ("__libsqlkit_sync_rows", "__libsqlkit_sync", "__libsqlkit_migrations"):
        assert f'href="/app/{internal}"' not in page


def test_read_only_by_default(studio: Studio) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{studio.base}/-/studio/edit/workflows/wf-0")
    assert caught.value.code == 403


def test_edits_are_validated_like_the_repositories(database: str, tmp_path: Path) -> None:
    running = Studio(database, tmp_path, write=True)
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("Origin", running.base)]  # as a browser sends with a form post
        edit = f"{running.base}/-/studio/edit/workflows/wf-0"
        form = opener.open(edit).read().decode()
        token = re.search(r'name="csrftoken" value="([^"]+)"', form)
        assert token
        bad = urllib.parse.urlencode({"csrftoken": token.group(1), "status": "DONE"}).encode()
        with pytest.raises(urllib.error.HTTPError) as caught:
            opener.open(edit, data=bad)
        page = caught.value.read().decode()
        assert (
            caught.value.code == 400 and "Refused, nothing was written" in page and "status" in page
        )
        with create_db_client(database) as db:
            assert WorkflowRepository(db).get("wf-0").status == "PENDING"  # type: ignore[union-attr]
        good = urllib.parse.urlencode(
            {"csrftoken": token.group(1), "status": "COMPLETED", "error_log": "checked"}
        ).encode()
        opener.open(edit, data=good)
        with create_db_client(database) as db:
            stored = WorkflowRepository(db).get("wf-0")
            assert stored is not None and (stored.status, stored.error_log) == (
                "COMPLETED",
                "checked",
            )
    finally:
        running.stop()


def test_remote_database_is_served_from_a_read_only_replica(tmp_path: Path) -> None:
    server = Sqld(tmp_path / "sqld", auth=True).start()
    try:
        token = server.token()
        _fill(server.url, auth_token=token)
        running = Studio(server.url, tmp_path, env={"TURSO_AUTH_TOKEN": token})
        try:
            page = _browse(f"{running.base}/app", tmp_path, "--dump-dom")
            assert "Read-only replica of http://127.0.0.1" in page and token not in page
            table = _browse(f"{running.base}/app/workflows", tmp_path, "--dump-dom")
            assert "5 rows" in table
            with create_db_client(server.url, auth_token=token) as primary:
                WorkflowRepository(primary).create(NewWorkflow(id="wf-new", type="t", user_id="u"))
            assert "wf-new" not in _browse(f"{running.base}/app/workflows", tmp_path, "--dump-dom")
            cross_site = urllib.request.Request(
                f"{running.base}/-/studio/refresh",
                data=b"",
                headers={"Origin": "http://evil.example"},
            )
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(cross_site)
            assert caught.value.code == 403
            with Browser(tmp_path / "browser") as browser:
                browser.open(f"{running.base}/app")
                browser.follow("document.querySelector('a[href=\"/-/studio/refresh\"]').click()")
                assert "synced when the studio started" in browser.text  # the page pulls nothing
                browser.open(f"{running.base}/app/workflows")
                assert "wf-new" not in browser.text
                browser.open(f"{running.base}/-/studio/refresh")
                browser.follow("document.querySelector('form button').click()")  # pull, then /app
                assert browser.url == f"{running.base}/app"
                browser.open(f"{running.base}/app/workflows")
                assert "wf-new" in browser.text
        finally:
            running.stop()
    finally:
        server.stop()


def test_binds_loopback_only(database: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "studio", "--url", database, "--host", "0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "loopback only" in result.stderr

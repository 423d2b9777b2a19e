"""The studio's web surface under attack: CSRF, Host header (DNS rebinding) and XSS.

Every request goes over real HTTP to a real `libsqlkit studio --write` process on
a real database file; the attacks a browser makes (a cross-site form, a rebound host name,
script in stored values) are made by headless Chromium.
"""

from __future__ import annotations

import http.client
import http.cookies
import http.server
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from itsdangerous import URLSafeSerializer

from codegen.studio_guard import MAX_FORM_BYTES, loopback_hosts
from generated.client import create_db_client
from generated.models import NewWorkflow, Workflow
from generated.repositories import WorkflowRepository
from tests.studio_browser import Browser
from tests.test_studio import Studio, _fill

EDIT = "/-/studio/edit/workflows/wf-0"
EVIL = "http://evil.example.com"

# Script that marks the page when it runs: a page where the mark is set has executed
# something stored in the database.
MARK = "document.documentElement.dataset.pwned='1'"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'"><img src=x onerror="{MARK}">',
    f"'><svg onload={MARK}>",
    f"javascript:{MARK}",
    f"</textarea><script>{MARK}</script>",
    f'</pre><iframe srcdoc="<script>parent.{MARK}</script>"></iframe>',
]
# One more row holds the first payloads in its key too (which also has URL characters).
HOSTILE_KEY = f'k"><img src=x onerror="{MARK}">/../?#%'
ROWS = [(f"x-{i}", payload) for i, payload in enumerate(PAYLOADS)] + [(HOSTILE_KEY, PAYLOADS[0])]
# Keys with every character that means something in a URL path.
RESERVED_KEYS = [
    "a/b",
    "what?",
    "x#y",
    "100%",
    "with space",
    "plus+sign",
    "ünï €",
    "..",
    "a/../b",
    "~2F",
    f"<b>{MARK}</b>/..",
]


@dataclass
class Answer:
    status: int
    body: str
    headers: http.client.HTTPMessage


def _request(
    studio: Studio,
    method: str,
    path: str,
    *,
    host: str | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Answer:
    """One request over a fresh connection, with exactly these headers (no redirects)."""
    connection = http.client.HTTPConnection("127.0.0.1", studio.port, timeout=30)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={
                "Host": f"127.0.0.1:{studio.port}" if host is None else host,
                **(headers or {}),
            },
        )
        response = connection.getresponse()
        return Answer(response.status, response.read().decode(), response.headers)
    finally:
        connection.close()


def _form(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Session:
    """What the studio's own edit page gave a browser: its cookie and form token."""

    cookie: str
    token: str


def _session(studio: Studio, path: str = EDIT) -> Session:
    page = _request(studio, "GET", path)
    assert page.status == 200, page.body
    jar = http.cookies.SimpleCookie(page.headers["set-cookie"])
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.body)
    assert token
    return Session(f"ds_csrftoken={jar['ds_csrftoken'].value}", token.group(1))


def _stored(database: str, key: str = "wf-0") -> Workflow:
    with create_db_client(database) as db:
        row = WorkflowRepository(db).get(key)
    assert row is not None
    return row


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"file:{tmp_path_factory.mktemp('db') / 'app.db'}"
    _fill(url)
    with create_db_client(url) as db:
        workflows = WorkflowRepository(db)
        for key, payload in ROWS:
            workflows.create(
                NewWorkflow(
                    id=key,
                    type=payload,
                    user_id=payload,
                    error_log=payload,
                    input_payload={payload: payload, "list": [payload]},
                )
            )
        for key in RESERVED_KEYS:
            workflows.create(NewWorkflow(id=key, type="reserved", user_id="u"))
    return url


@pytest.fixture(scope="module")
def studio(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    running = Studio(database, tmp_path_factory.mktemp("studio"), write=True)
    yield running
    running.stop()


# CSRF


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", EDIT),
        ("PUT", EDIT),
        ("DELETE", EDIT),
        ("PATCH", EDIT),
        ("POST", "/-/logout"),
        ("POST", "/-/messages"),
        ("POST", "/-/permissions"),
        ("POST", "/app"),
        ("POST", "/app/workflows"),
    ],
)
def test_cross_site_request_without_cookie_or_token_is_refused(
    studio: Studio, database: str, method: str, path: str
) -> None:
    for origin in ({"Origin": EVIL}, {"Referer": f"{EVIL}/page"}, {}):
        answer = _request(
            studio, method, path, headers={**FORM, **origin}, body=_form({"status": "FAILED"})
        )
        assert answer.status == 403 and "refused, nothing was changed" in answer.body
    assert _stored(database).status == "PENDING"


def test_same_origin_request_without_a_token_is_refused(studio: Studio, database: str) -> None:
    own = {"Origin": studio.base, **FORM}
    session = _session(studio)
    for headers, fields in [
        (own, {"status": "FAILED"}),  # no cookie, no token
        ({**own, "Cookie": session.cookie}, {"status": "FAILED"}),  # cookie, no token
    ]:
        answer = _request(studio, "POST", EDIT, headers=headers, body=_form(fields))
        assert answer.status == 403 and "refused, nothing was changed" in answer.body
    assert _stored(database).status == "PENDING"


def test_a_wrong_token_is_refused(studio: Studio, database: str) -> None:
    session = _session(studio)
    earlier_run = URLSafeSerializer("the secret of another run", "csrftoken").dumps("x" * 16)
    # The signature's last base64 character carries padding bits that decode to nothing, so
    # changing it can leave the token the same; change a character in its middle instead.
    middle = len(session.token) - 6
    flipped = "A" if session.token[middle] != "A" else "B"
    tampered = session.token[:middle] + flipped + session.token[middle + 1 :]
    for cookie, token in [
        (None, "not-a-token"),
        (None, earlier_run),
        (None, tampered),
        (session.cookie, ""),
        (session.cookie, "not-a-token"),
        (session.cookie, earlier_run),
        (session.cookie, tampered),
    ]:
        answer = _request(
            studio,
            "POST",
            EDIT,
            headers={"Origin": studio.base, **FORM, **({"Cookie": cookie} if cookie else {})},
            body=_form({"csrftoken": token, "status": "FAILED"}),
        )
        assert answer.status == 403 and "no valid csrftoken" in answer.body, (cookie, token)
    two_tokens = f"csrftoken=x&csrftoken={session.token}&status=FAILED".encode()
    answer = _request(
        studio, "POST", EDIT, headers={"Origin": studio.base, **FORM}, body=two_tokens
    )
    assert answer.status == 403
    assert _stored(database).status == "PENDING"


def test_the_right_token_from_another_origin_is_refused(studio: Studio, database: str) -> None:
    session = _session(studio)
    body = _form({"csrftoken": session.token, "status": "FAILED"})
    for origin in [
        {"Origin": EVIL},
        {"Origin": "null"},  # a sandboxed frame, a data: URL, a no-referrer page
        {"Origin": f"http://127.0.0.1:{studio.port + 1}"},  # same site, another port
        {"Origin": f"http://localhost:{studio.port}"},  # another origin of the same server
        {"Origin": f"https://127.0.0.1:{studio.port}"},
        {"Origin": EVIL, "Referer": f"{studio.base}/app"},  # Origin wins over Referer
        {"Referer": f"{EVIL}/page"},
        {"Referer": f"http://127.0.0.1:{studio.port}@evil.example.com/"},
        {},
    ]:
        answer = _request(
            studio, "POST", EDIT, headers={**FORM, "Cookie": session.cookie, **origin}, body=body
        )
        assert answer.status == 403 and "its Origin (or Referer)" in answer.body, origin
    assert _stored(database).status == "PENDING"


def test_an_oversized_form_is_refused_unread(studio: Studio, database: str) -> None:
    session = _session(studio)
    answer = _request(
        studio,
        "POST",
        EDIT,
        headers={
            "Origin": studio.base,
            "Cookie": session.cookie,
            **FORM,
            "Content-Length": str(MAX_FORM_BYTES + 1),
        },
        body=_form({"csrftoken": session.token, "status": "FAILED"}),
    )
    assert answer.status == 413
    assert _stored(database).status == "PENDING"


def test_the_studio_s_own_form_post_is_accepted(studio: Studio, database: str) -> None:
    for host, origin, note in [
        (f"127.0.0.1:{studio.port}", {"Origin": studio.base}, "origin"),
        (f"127.0.0.1:{studio.port}", {"Referer": f"{studio.base}{EDIT}"}, "referer"),
        (f"localhost:{studio.port}", {"Origin": f"http://localhost:{studio.port}"}, "localhost"),
    ]:
        page = _request(studio, "GET", "/-/studio/edit/workflows/wf-1", host=host)
        cookie = http.cookies.SimpleCookie(page.headers["set-cookie"])["ds_csrftoken"].value
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.body)
        assert token
        answer = _request(
            studio,
            "POST",
            "/-/studio/edit/workflows/wf-1",
            host=host,
            headers={**FORM, **origin, "Cookie": f"ds_csrftoken={cookie}"},
            body=_form({"csrftoken": token.group(1), "error_log": note}),
        )
        assert answer.status == 302, answer.body
        assert _stored(database, "wf-1").error_log == note


class _AttackerPage(http.server.BaseHTTPRequestHandler):
    """A page of another site (another origin on this machine) that posts to the studio."""

    target = ""

    def do_GET(self) -> None:
        page = (
            f'<form method="post" action="{self.target}">'
            '<input name="csrftoken" value="guessed"><input name="status" value="FAILED">'
            "</form><script>document.forms[0].submit()</script>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_cross_site_form_in_a_real_browser_is_refused(
    studio: Studio, database: str, tmp_path: Path
) -> None:
    handler = type("Attacker", (_AttackerPage,), {"target": f"{studio.base}{EDIT}"})
    attacker = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    try:
        with Browser(tmp_path / "chromium") as browser:
            # Same host, another port: another origin, but the same site, so the browser
            # sends the studio's SameSite=Lax cookie along once it has one.
            attack = f"http://127.0.0.1:{attacker.server_port}/"
            browser.open(attack, lands_on=studio.base)  # no studio cookie yet
            assert "refused, nothing was changed" in browser.text
            browser.open(f"{studio.base}{EDIT}")  # now the browser holds the studio's cookie
            browser.open(attack, lands_on=studio.base)
            assert "refused, nothing was changed" in browser.text
    finally:
        attacker.shutdown()
        attacker.server_close()
    assert _stored(database).status == "PENDING"


# Host header


@pytest.mark.parametrize(
    "path",
    [
        "/app",
        "/app.json?sql=select+id,+user_id+from+workflows",
        "/app/workflows",
        "/app/workflows/wf-0.json",
        EDIT,
        "/-/studio/refresh",
        "/-/metadata.json",
        "/-/static/app.css",
        "/app.db",
    ],
)
def test_a_foreign_host_name_is_refused_on_every_route(studio: Studio, path: str) -> None:
    for host in ["evil.example.com", f"evil.example.com:{studio.port}"]:
        answer = _request(studio, "GET", path, host=host)
        assert answer.status == 400 and "answers only at" in answer.body
        assert "wf-0" not in answer.body and "user-0" not in answer.body


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:{other}",
        "localhost:{other}",
        "[::1]:{other}",
        "127.0.0.1",
        "localhost",
        "127.0.0.2:{port}",
        "0.0.0.0:{port}",
        "127.1:{port}",
        "2130706433:{port}",
        "[::ffff:127.0.0.1]:{port}",
        "localhost.:{port}",
        "localhost.evil.example.com:{port}",
        "evil.example.com@127.0.0.1:{port}",
        "",
    ],
)
def test_a_loopback_host_with_the_wrong_port_or_spelling_is_refused(
    studio: Studio, database: str, host: str
) -> None:
    named = host.format(port=studio.port, other=studio.port + 1)
    answer = _request(studio, "GET", "/app/workflows.json", host=named)
    assert answer.status == 400 and "answers only at" in answer.body
    session = _session(studio)
    answer = _request(
        studio,
        "POST",
        EDIT,
        host=named,
        headers={**FORM, "Origin": f"http://{named}", "Cookie": session.cookie},
        body=_form({"csrftoken": session.token, "status": "FAILED"}),
    )
    assert answer.status == 400
    assert _stored(database).status == "PENDING"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LocalHost", "[::1]"])
def test_the_loopback_names_are_answered(studio: Studio, name: str) -> None:
    answer = _request(studio, "GET", "/app/workflows.json", host=f"{name}:{studio.port}")
    assert answer.status == 200 and "wf-0" in answer.body


def test_port_80_is_also_named_without_its_port() -> None:
    assert loopback_hosts(80) == {
        "127.0.0.1",
        "localhost",
        "[::1]",
        "127.0.0.1:80",
        "localhost:80",
        "[::1]:80",
    }
    assert loopback_hosts(8001) == {"127.0.0.1:8001", "localhost:8001", "[::1]:8001"}


def test_dns_rebinding_in_a_real_browser_reads_nothing(studio: Studio, tmp_path: Path) -> None:
    # evil.example.com resolves to the studio's address, as after a DNS rebinding.
    rebound = "--host-resolver-rules=MAP evil.example.com 127.0.0.1"
    with Browser(tmp_path / "chromium", rebound) as browser:
        browser.open(f"http://evil.example.com:{studio.port}/app.json?sql=select+*+from+workflows")
        assert "answers only at" in browser.text and "wf-0" not in browser.text
        browser.open(f"http://evil.example.com:{studio.port}/app/workflows")
        assert "answers only at" in browser.text and "wf-0" not in browser.text


# XSS and keys in URLs

INJECTED = f"""(() => {{
    const mark = {MARK!r};
    const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href'];
    const handlers = [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
        .filter(a => a.name.startsWith('on')
            || (URL_ATTRIBUTES.includes(a.name) && /^\\s*javascript:/i.test(a.value)));
    return [
        document.documentElement.dataset.pwned === '1',
        [...document.scripts].some(s => s.textContent.includes(mark)),
        handlers.map(a => a.name + '=' + a.value),
        document.querySelectorAll('iframe').length,
    ];
}})()"""


def _assert_nothing_ran(browser: Browser) -> None:
    ran, stored_script, handlers, frames = browser.evaluate(INJECTED)
    assert not ran and not stored_script and handlers == [] and frames == 0, browser.url


def test_hostile_values_are_shown_as_text_on_every_page(studio: Studio, tmp_path: Path) -> None:
    with Browser(tmp_path / "chromium") as browser:
        browser.open(f"{studio.base}/app/workflows?_size=max")
        _assert_nothing_ran(browser)
        text = browser.text
        assert all(payload in text for payload in PAYLOADS)
        assert HOSTILE_KEY in text
        for key, payload in ROWS:
            browser.open(f"{studio.base}/app/workflows?_size=max")
            browser.follow(_click_key(key))  # the row page
            _assert_nothing_ran(browser)
            assert payload in browser.text
            browser.follow(_click_edit())  # the edit form
            _assert_nothing_ran(browser)
            assert browser.evaluate("document.getElementById('error_log').value") == payload
            shown = json.loads(browser.evaluate("document.getElementById('input_payload').value"))
            assert shown == {payload: payload, "list": [payload]}
            browser.follow(_submit({"status": payload}))  # refused: not a status
            _assert_nothing_ran(browser)
            refusal = browser.evaluate("document.querySelector('.studio-error').innerText")
            assert refusal.startswith("Refused, nothing was written: status:")
            assert payload[:12] in refusal  # the refused value, shown (shortened) as text
            assert browser.evaluate("document.getElementById('status').value") == payload
            assert (
                browser.evaluate("[document.title, document.querySelector('h1').innerText]")
                == [f"Edit workflows {key}"] * 2
            )


def test_every_key_can_be_edited_through_the_table_page_s_links(
    studio: Studio, database: str, tmp_path: Path
) -> None:
    with Browser(tmp_path / "chromium") as browser:
        for key in RESERVED_KEYS:
            browser.open(f"{studio.base}/app/workflows?_size=max")
            browser.follow(_click_key(key))
            _assert_nothing_ran(browser)
            assert browser.evaluate("document.querySelector('h1').innerText").endswith(key)
            browser.follow(_click_edit())
            _assert_nothing_ran(browser)
            assert browser.evaluate("document.querySelector('h1').innerText") == (
                f"Edit workflows {key}"
            )
            browser.follow(_submit({"error_log": f"edited {key}"}))
            _assert_nothing_ran(browser)
            assert f"edited {key}" in browser.text, browser.url  # back on the row's page
            assert _stored(database, key).error_log == f"edited {key}"


def _click_key(key: str) -> str:
    """Click the link of the row with this key on a table page."""
    return (
        "[...document.querySelectorAll('td.type-pk a')]"
        f".find(a => a.textContent === {_js(key)}).click()"
    )


def _click_edit() -> str:
    return "[...document.querySelectorAll('a')].find(a => a.textContent === '(edit)').click()"


def _submit(fields: dict[str, str]) -> str:
    """Fill the edit form's fields and press Save, as a user would."""
    fill = "".join(
        f"document.getElementById({_js(n)}).value = {_js(v)};" for n, v in fields.items()
    )
    return fill + "document.querySelector('form.studio-edit button').click()"


def _js(text: str) -> str:
    return json.dumps(text)

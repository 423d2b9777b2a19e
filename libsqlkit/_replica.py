"""Embedded replica: a local file kept in sync with a remote primary (libsql_experimental).

Reads run on the local file. Writes, and every statement inside a transaction, go to the
primary over the bounded HTTP driver, then the replica pulls, so the writer reads its own
writes. libsql_experimental's own write forwarding is not used: against a hung server it
blocks forever while holding the GIL, and it reports every failure as a bare ValueError.
Before connecting and before each sync, a bounded probe of the primary turns a bad token
into AuthError and a dead or hung server into Unavailable or Timeout, where libsql would
wait (a bad token otherwise shows only as a handshake timeout).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from libsqlkit._drivers import (
    DriverName,
    LibsqlDriver,
    Row,
    import_libsql,
    libsql_error,
    refuse_nul_text,
)
from libsqlkit._hrana import HranaDriver, http_base_url

__all__ = ["ReplicaDriver"]

_LOCAL_STATEMENTS = ("SELECT", "PRAGMA", "EXPLAIN")


def _reads_only(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in _LOCAL_STATEMENTS


class ReplicaDriver:
    name: DriverName = "replica"

    def __init__(
        self,
        path: str,
        *,
        sync_url: str,
        auth_token: str | None,
        sync_interval: float | None,
        timeout: float,
        busy_timeout_ms: int,
    ) -> None:
        self.remote = HranaDriver(sync_url, auth_token=auth_token, timeout=timeout)
        self.remote.check()
        try:
            connection = import_libsql().connect(
                path,
                sync_url=http_base_url(sync_url),
                auth_token=auth_token or "",
                sync_interval=sync_interval,
                isolation_level=None,
            )
        except ValueError as exc:
            raise libsql_error(str(exc)) from None
        self._connection = connection
        self.local = LibsqlDriver(path, busy_timeout_ms=busy_timeout_ms, connection=connection)
        self._in_transaction = False
        self._pull()

    def __repr__(self) -> str:
        return f"ReplicaDriver(primary={self.remote!r})"

    def _pull(self) -> None:
        try:
            self._connection.sync()
        except ValueError as exc:
            raise libsql_error(str(exc)) from None

    def sync(self) -> None:
        """Pull the primary's changes now (bounded probe first)."""
        self.remote.check()
        self._pull()

    def execute(self, sql: str, params: Sequence[Any]) -> list[Row]:
        if not self._in_transaction and _reads_only(sql):
            return self.local.execute(sql, params)
        refuse_nul_text(params)  # it would be read back through libsql
        rows = self.remote.execute(sql, params)
        if not self._in_transaction:
            self._pull()
        return rows

    def execute_many(
        self, sql: str, rows: Iterable[Sequence[Any]], *, own_transaction: bool
    ) -> None:
        self.batch([(sql, params) for params in rows], own_transaction=own_transaction)

    def batch(
        self, statements: Sequence[tuple[str, Sequence[Any]]], *, own_transaction: bool
    ) -> list[list[Row]]:
        for _, params in statements:
            refuse_nul_text(params)
        results = self.remote.batch(statements, own_transaction=own_transaction)
        if own_transaction:
            self._pull()
        return results

    def set_foreign_keys(self, enabled: bool) -> None:
        self.remote.set_foreign_keys(enabled)  # writes run on the primary

    def begin(self) -> None:
        self.remote.begin()
        self._in_transaction = True

    def commit(self) -> None:
        self._in_transaction = False
        self.remote.commit()
        self._pull()

    def rollback(self) -> None:
        self._in_transaction = False
        self.remote.rollback()

    def close(self) -> None:
        self.remote.close()
        self.local.close()

"""SQLAlchemy 2 contenders: the ORM (Session, declarative mapped classes) and Core.

Both use the same file and the same Drizzle-compatible column encodings (integer unix
seconds, compact JSON text), through TypeDecorators, so they do the same work.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bench.workloads import USERS, InProcess, payload


class UnixSeconds(TypeDecorator[datetime]):
    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        return None if value is None else int(value.timestamp() // 1)

    def process_result_value(self, value: int | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromtimestamp(value, UTC)


class CompactJson(TypeDecorator[Any]):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return (
            None if value is None else json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        )

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


class Base(DeclarativeBase):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


class Workflow(Base):
    __tablename__ = "workflows"
    id: Mapped[str] = mapped_column(String, primary_key=True, default=lambda: str(uuid.uuid4()))
    type: Mapped[str] = mapped_column(String)
    user_id: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, default="PENDING")
    input_payload: Mapped[Any] = mapped_column(CompactJson, nullable=True)
    output_payload: Mapped[Any] = mapped_column(CompactJson, nullable=True)
    error_log: Mapped[str | None] = mapped_column(Text, nullable=True)
    retry_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UnixSeconds, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UnixSeconds, default=_now)
    completed_at: Mapped[datetime | None] = mapped_column(UnixSeconds, nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UnixSeconds, nullable=True)


TABLE = Base.metadata.tables["workflows"]


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _: Any) -> None:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")

    return engine


class SqlAlchemyOrm(InProcess):
    """A Session per operation, as a web request would use; ORM objects out."""

    name = "SQLAlchemy 2 ORM"

    def open(self, path: Path) -> None:
        self.engine = _engine(path)

    def close(self) -> None:
        self.engine.dispose()

    def _new(self, i: int) -> Workflow:
        return Workflow(type="summarize", user_id=f"user-{i % USERS}", input_payload=payload(i))

    def create(self, i: int) -> object:
        with Session(self.engine, expire_on_commit=False) as session:
            workflow = self._new(i)
            session.add(workflow)
            session.commit()
            return workflow

    def create_many(self, start: int, count: int) -> object:
        with Session(self.engine) as session:
            session.add_all([self._new(i) for i in range(start, start + count)])
            session.commit()
        return count

    def find_by_id(self, workflow_id: str) -> object:
        with Session(self.engine) as session:
            query = (
                select(Workflow)
                .where(Workflow.id == workflow_id, Workflow.deleted_at.is_(None))
                .limit(1)
            )
            return session.scalars(query).first()

    def find_by_user_id(self, user_id: str) -> object:
        with Session(self.engine) as session:
            query = (
                select(Workflow)
                .where(Workflow.user_id == user_id, Workflow.deleted_at.is_(None))
                .order_by(Workflow.created_at.desc(), Workflow.id)
            )
            return list(session.scalars(query))

    def update_status(self, workflow_id: str) -> object:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(Workflow).where(
                Workflow.id == workflow_id, Workflow.deleted_at.is_(None)
            )
            workflow = session.scalars(query).first()
            if workflow is not None:
                now = _now()
                workflow.status, workflow.updated_at, workflow.completed_at = "COMPLETED", now, now
                session.commit()
            return workflow

    def soft_delete(self, workflow_id: str) -> object:
        with Session(self.engine) as session:
            now = _now()
            session.execute(
                update(Workflow)
                .where(Workflow.id == workflow_id, Workflow.deleted_at.is_(None))
                .values(deleted_at=now, updated_at=now)
            )
            session.commit()
        return None


class SqlAlchemyCore(InProcess):
    """Core statements with RETURNING, rows out (no ORM objects)."""

    name = "SQLAlchemy 2 Core"

    def open(self, path: Path) -> None:
        self.engine = _engine(path)

    def close(self) -> None:
        self.engine.dispose()

    def _values(self, i: int) -> dict[str, Any]:
        now = _now()
        return {
            "id": str(uuid.uuid4()),
            "type": "summarize",
            "user_id": f"user-{i % USERS}",
            "status": "PENDING",
            "input_payload": payload(i),
            "retry_count": 0,
            "created_at": now,
            "updated_at": now,
        }

    def create(self, i: int) -> object:
        with self.engine.begin() as connection:
            return connection.execute(insert(TABLE).values(self._values(i)).returning(TABLE)).one()

    def create_many(self, start: int, count: int) -> object:
        with self.engine.begin() as connection:
            connection.execute(
                insert(TABLE), [self._values(i) for i in range(start, start + count)]
            )
        return count

    def find_by_id(self, workflow_id: str) -> object:
        with self.engine.connect() as connection:
            query = (
                select(TABLE)
                .where(TABLE.c.id == workflow_id, TABLE.c.deleted_at.is_(None))
                .limit(1)
            )
            return connection.execute(query).first()

    def find_by_user_id(self, user_id: str) -> object:
        with self.engine.connect() as connection:
            query = (
                select(TABLE)
                .where(TABLE.c.user_id == user_id, TABLE.c.deleted_at.is_(None))
                .order_by(TABLE.c.created_at.desc(), TABLE.c.id)
            )
            return connection.execute(query).all()

    def update_status(self, workflow_id: str) -> object:
        now = _now()
        with self.engine.begin() as connection:
            query = (
                update(TABLE)
                .where(TABLE.c.id == workflow_id, TABLE.c.deleted_at.is_(None))
                .values(status="COMPLETED", updated_at=now, completed_at=now)
                .returning(TABLE)
            )
            return connection.execute(query).first()

    def soft_delete(self, workflow_id: str) -> object:
        now = _now()
        with self.engine.begin() as connection:
            connection.execute(
                update(TABLE)
                .where(TABLE.c.id == workflow_id, TABLE.c.deleted_at.is_(None))
                .values(deleted_at=now, updated_at=now)
            )
        return None

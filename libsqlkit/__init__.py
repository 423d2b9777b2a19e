"""Runtime of the typed libSQL data layer: client, drivers, codecs, repository base.

Generated code (generated/) imports only this package, which needs no code-generation
dependency. Everything public is re-exported here; the underscore modules are private.
"""

from libsqlkit import _codecs as codecs
from libsqlkit._codecs import Codec, dump_json, js_number
from libsqlkit._database import Database, SyncMode, connect
from libsqlkit._drivers import DriverName, LocalDriverName
from libsqlkit._errors import (
    AuthError,
    Busy,
    CheckViolation,
    ConfigurationError,
    ConstraintViolation,
    DatabaseError,
    DecodeError,
    ForeignKeyViolation,
    InvalidValue,
    LibsqlKitError,
    NotNullViolation,
    SchemaStateError,
    Timeout,
    Unavailable,
    UniqueViolation,
)
from libsqlkit._expr import Condition, Expr, and_, count, exists, max_, min_, not_, or_, sum_
from libsqlkit._models import InsertModel, SelectModel, UpdateModel
from libsqlkit._query import QueryError, TableRef, delete, insert, select, sql, update
from libsqlkit._repository import Repository, SoftDeleteRepository
from libsqlkit._schema import Column, Schema, Table, TableSql
from libsqlkit._sync import Conflict, SyncReport
from libsqlkit._url import app_database_url

__all__ = [
    "AuthError",
    "Busy",
    "CheckViolation",
    "Codec",
    "Column",
    "Condition",
    "ConfigurationError",
    "Conflict",
    "ConstraintViolation",
    "Database",
    "DatabaseError",
    "DecodeError",
    "DriverName",
    "Expr",
    "ForeignKeyViolation",
    "InsertModel",
    "InvalidValue",
    "LibsqlKitError",
    "LocalDriverName",
    "NotNullViolation",
    "QueryError",
    "Repository",
    "Schema",
    "SchemaStateError",
    "SelectModel",
    "SoftDeleteRepository",
    "SyncMode",
    "SyncReport",
    "Table",
    "TableRef",
    "TableSql",
    "Timeout",
    "Unavailable",
    "UniqueViolation",
    "UpdateModel",
    "and_",
    "app_database_url",
    "codecs",
    "connect",
    "count",
    "delete",
    "dump_json",
    "exists",
    "insert",
    "js_number",
    "max_",
    "min_",
    "not_",
    "or_",
    "select",
    "sql",
    "sum_",
    "update",
]

"""Runtime of the typed libSQL data layer: client, drivers, codecs, repository base.

Generated code (generated/) imports only this package, which needs no code-generation
dependency. Everything public is re-exported here; the underscore modules are private.
"""

from libsqlkit import _codecs as codecs
from libsqlkit._async_database import AsyncDatabase
from libsqlkit._codecs import Codec, dump_json, js_number
from libsqlkit._compound import Compound, except_, intersect, union, union_all
from libsqlkit._connect import SyncMode, connect, connect_async
from libsqlkit._consistency import Consistency, consistency
from libsqlkit._database import Database
from libsqlkit._derived import Derived
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
    WouldBlock,
)
from libsqlkit._expr import Condition, Expr, and_, count, exists, max_, min_, not_, or_, sum_
from libsqlkit._keyset import Page
from libsqlkit._models import InsertModel, PayloadModel, SelectModel, UpdateModel
from libsqlkit._plan import Plan, Statement
from libsqlkit._query import (
    QueryError,
    Select,
    Source,
    TableRef,
    ViewRef,
    count_rows,
    delete,
    insert,
    select,
    sql,
    update,
)
from libsqlkit._relational import Relational
from libsqlkit._relations import Load, Many, MaybeOne, One, RelationCount
from libsqlkit._repository import (
    AsyncRepository,
    AsyncSoftDeleteRepository,
    AsyncViewRepository,
    Repository,
    SoftDeleteRepository,
    ViewRepository,
    fetch_all,
    fetch_one,
)
from libsqlkit._schema import Column, Schema, Table, TableSql
from libsqlkit._seed import SeedError, SeedOverride, seed
from libsqlkit._sync_batch import prune_change_log, prune_change_log_async
from libsqlkit._sync_report import Conflict, MovedRow, SyncReport
from libsqlkit._url import app_database_url
from libsqlkit._usage import FREE_TIER, Usage, UsageBudget

__all__ = [
    "FREE_TIER",
    "AsyncDatabase",
    "AsyncRepository",
    "AsyncSoftDeleteRepository",
    "AsyncViewRepository",
    "AuthError",
    "Busy",
    "CheckViolation",
    "Codec",
    "Column",
    "Compound",
    "Condition",
    "ConfigurationError",
    "Conflict",
    "Consistency",
    "ConstraintViolation",
    "Database",
    "DatabaseError",
    "DecodeError",
    "Derived",
    "DriverName",
    "Expr",
    "ForeignKeyViolation",
    "InsertModel",
    "InvalidValue",
    "LibsqlKitError",
    "Load",
    "LocalDriverName",
    "Many",
    "MaybeOne",
    "MovedRow",
    "NotNullViolation",
    "One",
    "Page",
    "PayloadModel",
    "Plan",
    "QueryError",
    "RelationCount",
    "Relational",
    "Repository",
    "Schema",
    "SchemaStateError",
    "SeedError",
    "SeedOverride",
    "Select",
    "SelectModel",
    "SoftDeleteRepository",
    "Source",
    "Statement",
    "SyncMode",
    "SyncReport",
    "Table",
    "TableRef",
    "TableSql",
    "Timeout",
    "Unavailable",
    "UniqueViolation",
    "UpdateModel",
    "Usage",
    "UsageBudget",
    "ViewRef",
    "ViewRepository",
    "WouldBlock",
    "and_",
    "app_database_url",
    "codecs",
    "connect",
    "connect_async",
    "consistency",
    "count",
    "count_rows",
    "delete",
    "dump_json",
    "except_",
    "exists",
    "fetch_all",
    "fetch_one",
    "insert",
    "intersect",
    "js_number",
    "max_",
    "min_",
    "not_",
    "or_",
    "prune_change_log",
    "prune_change_log_async",
    "seed",
    "select",
    "sql",
    "sum_",
    "union",
    "union_all",
    "update",
]

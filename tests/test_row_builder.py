"""The compiled row builder (`_row_builder`, `_rowbuild.c`) reads exactly what pydantic-core
reads, or leaves the rows to it: never a different value, type, field set or error.
Hostile stored values of every kind are drawn against each table it builds."""

from __future__ import annotations

import gc
import sys
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, get_args

import pytest
from golden_relations.models import Post
from golden_relations.tables import POSTS
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import AwareDatetime, ConfigDict, Field, PrivateAttr, create_model, field_validator

from generated.models import SyncMetadata, Workflow
from generated.tables import SYNC_METADATA, WORKFLOWS
from libsqlkit import DecodeError
from libsqlkit._codecs import TIMESTAMP
from libsqlkit._models import SelectModel
from libsqlkit._row_builder import COMPILED, row_builder
from libsqlkit._rows import _batch, _plan, row_by_row, rows_to_models

# 9999-01-01T00:00:00Z, where the C side hands timestamps to the codec.
LAST_SECOND = 253370764800
STATUSES = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"]
HOSTILE_TEXT = st.sampled_from(["", "\ud800", "\x00", "é" * 3, "PENDING ", "pending", "x" * 70_000])
ANY_VALUE = (
    st.none()
    | st.text(max_size=8)
    | HOSTILE_TEXT
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.sampled_from([0, 1, 2, -1, 2**63, -(2**63), True, False, 1.0, 0.0, float("inf")])
    | st.floats()
    | st.binary(max_size=4)
)
SECONDS = st.integers(min_value=-62135596800, max_value=253402300799) | st.sampled_from(
    [0, 1, 59, 86399, 86400, 951782400, 4107542400, LAST_SECOND - 1, LAST_SECOND, 2**62]
)
JSON_TEXT = st.sampled_from(
    ['{"a": 1}', "[1, 2]", "1e400", "NaN", '"\\ud800"', "[1", "2],3,[4", "", "null", "{}"]
) | st.from_regex(r'\{"k": [0-9]{1,3}\}', fullmatch=True)


def _reference(table: Any, model: type[Any], rows: list[tuple[Any, ...]]) -> list[Any] | None:
    """What the rows read as with no builder: pydantic-core's batch, else row by row;
    None where they do not read (DecodeError)."""
    batch = _batch(table, model)
    assert batch is not None
    build, batch._build = batch._build, None
    try:
        return rows_to_models(table, model, rows)
    except DecodeError:
        return None
    finally:
        batch._build = build


def _same(table: Any, model: type[Any], rows: list[tuple[Any, ...]]) -> list[Any] | None:
    """The builder's models equal the reference's, down to each value's type and each
    datetime's tzinfo; or the builder leaves the rows (None). Returns the builder's."""
    batch = _batch(table, model)
    assert batch is not None and batch._build is not None
    built = batch._build(rows)
    if built is None:
        return None
    expected = _reference(table, model, rows)
    assert expected is not None, "the builder read rows pydantic refuses"
    assert built == expected
    assert [repr(m) for m in built] == [repr(m) for m in expected]
    # The sets in the same order too (a set copied and one filled name by name may not be).
    assert [list(m.model_fields_set) for m in built] == [list(m.model_fields_set) for m in expected]
    for mine, theirs in zip(built, expected, strict=True):
        assert type(mine) is type(theirs)
        for name, value in mine.__dict__.items():
            other = theirs.__dict__[name]
            assert type(value) is type(other), name
            if isinstance(value, datetime):
                assert value.tzinfo is other.tzinfo
        assert mine.__pydantic_extra__ == theirs.__pydantic_extra__
        assert mine.__pydantic_private__ == theirs.__pydantic_private__
    return built


def test_the_compiled_builder_is_installed() -> None:
    """`make` installs with a compiler: a silent build failure would slow every read."""
    assert COMPILED
    assert _batch(WORKFLOWS, Workflow)._build is not None  # type: ignore[union-attr]


@settings(max_examples=400, deadline=None)
@given(
    values=st.fixed_dictionaries(
        {
            "id": st.text() | ANY_VALUE,
            "type": st.text(max_size=3) | ANY_VALUE,
            "user_id": st.just("u") | ANY_VALUE,
            "status": st.sampled_from(STATUSES) | ANY_VALUE,
            "input_payload": st.none() | JSON_TEXT | ANY_VALUE,
            "output_payload": st.none() | JSON_TEXT,
            "error_log": st.none() | st.text() | ANY_VALUE,
            "retry_count": st.integers() | ANY_VALUE,
            "created_at": SECONDS | ANY_VALUE,
            "updated_at": SECONDS,
            "completed_at": st.none() | SECONDS | ANY_VALUE,
            "deleted_at": st.none() | SECONDS,
        }
    ),
    count=st.integers(min_value=1, max_value=3),
)
def test_hostile_workflow_rows_read_as_pydantic_reads_them(
    values: dict[str, Any], count: int
) -> None:
    row = tuple(values[c.name] for c in WORKFLOWS.columns)
    good = ("i", "t", "u", "PENDING", None, None, None, 0, 0, 0, None, None)
    _same(WORKFLOWS, Workflow, [good] * (count - 1) + [row])


# Values near each kind's edge: what pydantic converts (1.0 for an int, "1" for a bool,
# 0.0 for a timestamp), refuses, or reads as non-finite JSON.
EDGE_VALUE = ANY_VALUE | st.sampled_from(
    [1.0, -0.0, "1", "0", "true", 1e400, "2024-01-01", "[NaN]", '{"a": 1e400}', "Infinity"]
)


@settings(max_examples=600, deadline=None)
@given(column=st.integers(min_value=0, max_value=11), value=EDGE_VALUE, at=st.integers(0, 2))
@example(column=4, value="[NaN]", at=1)
@example(column=4, value='{"a": [1e400]}', at=2)
@example(column=7, value=1.0, at=0)
@example(column=3, value="pending", at=0)
@example(column=8, value=0.0, at=1)
@example(column=8, value=-1, at=1)
@example(column=10, value=LAST_SECOND, at=2)
@example(column=0, value=b"i", at=0)
def test_one_hostile_value_in_good_rows_reads_as_pydantic_reads_it(
    column: int, value: Any, at: int
) -> None:
    """One column of one row replaced: the builder either reads exactly what pydantic
    reads, or leaves the result set to it."""
    good = ("i", "t", "u", "PENDING", '{"a": 1}', None, None, 0, 5, 5, None, None)
    rows = [good] * 3
    rows[at] = (*good[:column], value, *good[column + 1 :])
    _same(WORKFLOWS, Workflow, rows)


@settings(max_examples=300, deadline=None)
@given(published=EDGE_VALUE, at=st.integers(0, 1))
def test_one_hostile_boolean_reads_as_pydantic_reads_it(published: Any, at: int) -> None:
    rows = [("p", "a", "t", 1, 0, None)] * 2
    rows[at] = ("p", "a", "t", published, 0, None)
    _same(POSTS, Post, rows)


def test_every_day_from_1970_to_2100_and_of_far_leap_years_is_the_codecs_own() -> None:
    """The C side's calendar, day by day: each day's first and last second."""
    days = [*range(0, 47_482), *range(2_932_167, 2_932_532)]  # 1970-2099, and 9998
    days += [
        day
        for year_start in (10_957, 47_482, 157_054)
        for day in range(year_start, year_start + 366)
    ]
    stamps = [second for day in days for second in (day * 86_400, day * 86_400 + 86_399)]
    rows = [
        ("i", "t", "u", "PENDING", None, None, None, 0, stamp, stamp, None, None)
        for stamp in stamps
    ]
    built = rows_to_models(WORKFLOWS, Workflow, rows)
    batch = _batch(WORKFLOWS, Workflow)
    assert batch is not None and batch._build is not None and batch._build(rows) is not None
    for model, stamp in zip(built, stamps, strict=True):
        expected = datetime.fromtimestamp(stamp, UTC)
        assert model.created_at == expected and model.created_at.tzinfo is UTC, stamp


GOOD_TEXT = st.text() | HOSTILE_TEXT


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            GOOD_TEXT,
            GOOD_TEXT,
            GOOD_TEXT,
            st.sampled_from(STATUSES),
            st.none()
            | st.from_regex(r'\{"k": \[[1-9][0-9]{0,2}, "[a-zé]{0,4}"\]\}', fullmatch=True),
            st.none() | st.sampled_from(["[]", "{}", "null", "1", '"s"', "[1.5, -0.0]"]),
            st.none() | GOOD_TEXT,
            st.integers(min_value=-(2**100), max_value=2**100),
            SECONDS,
            SECONDS,
            st.none() | SECONDS,
            st.none() | SECONDS,
        ),
        min_size=1,
        max_size=20,
    )
)
def test_rows_of_the_right_kinds_are_built_and_equal_pydantics(
    rows: list[tuple[Any, ...]],
) -> None:
    in_range = all(v is None or 0 <= v < LAST_SECOND for row in rows for v in row[8:])
    built = _same(WORKFLOWS, Workflow, rows)
    assert built is not None or not in_range


@settings(max_examples=200, deadline=None)
@given(
    published=st.sampled_from([0, 1]) | ANY_VALUE,
    created=SECONDS | ANY_VALUE,
    deleted=st.none() | SECONDS,
)
def test_hostile_boolean_and_timestamp_rows_read_as_pydantic_reads_them(
    published: Any, created: Any, deleted: Any
) -> None:
    _same(POSTS, Post, [("p", "a", "t", published, created, deleted)])


@settings(max_examples=300, deadline=None)
@given(stored=SECONDS, millis=st.integers(min_value=-(10**15), max_value=10**16))
@example(stored=LAST_SECOND - 1, millis=LAST_SECOND * 1000 - 1)
@example(stored=951782400, millis=951868799999)  # 2000-02-29, a leap day of a century
@example(stored=4107542400, millis=-1)  # 2100-03-01, after a century's non-leap February
def test_timestamps_made_in_c_are_the_codecs_own(stored: int, millis: int) -> None:
    """Every timestamp the C side computes is the one the codec decodes, seconds and ms."""
    row = ("i", "t", "u", "PENDING", None, None, None, 0, stored, stored, None, None)
    expected: datetime | None
    try:
        expected = TIMESTAMP.decode(stored)  # type: ignore[misc]
    except ValueError:
        expected = None
    built = _same(WORKFLOWS, Workflow, [row])
    assert (built is None) == (expected is None)
    if built is not None:
        assert built[0].created_at == expected and built[0].created_at.tzinfo is UTC
    from golden_all_types.models import SyncState
    from golden_all_types.tables import SYNC_STATE

    status = get_args(SyncState.model_fields["sync_status"].annotation)[0]
    _same(SYNC_STATE, SyncState, [("i", "t", millis, status)])


def test_milliseconds_are_built_as_the_codec_decodes_them() -> None:
    """sync_state's timestamp_ms column (golden all_types): the C side's microseconds."""
    from golden_all_types.models import SyncState
    from golden_all_types.tables import SYNC_STATE

    status = get_args(SyncState.model_fields["sync_status"].annotation)[0]
    for millis in (0, 1, 999, 1000, 1_735_689_600_123, LAST_SECOND * 1000 - 1, -1, 2**62):
        built = _same(SYNC_STATE, SyncState, [("i", "t", millis, status)])
        assert (built is None) == (millis == 2**62)  # past year 9999: refused, as before


def test_a_refused_value_is_named_as_before() -> None:
    """The builder leaves a bad row to the path that names its table, column and key."""
    row = ("id-1", "t", "u", "NOT-A-STATUS", None, None, None, 0, 0, 0, None, None)
    assert _same(WORKFLOWS, Workflow, [row]) is None
    with pytest.raises(DecodeError) as raised:
        rows_to_models(WORKFLOWS, Workflow, [row])
    assert (raised.value.table, raised.value.column, raised.value.key) == (
        "workflows",
        "status",
        "id-1",
    )


def test_misaligned_json_texts_are_never_shared_between_rows() -> None:
    """Texts that would join into one valid document ("[1", "2],3,[4", "5]") are each
    parsed on their own: each is refused, none is read into another row."""
    rows = [
        ("a", "t", "u", "PENDING", text, None, None, 0, 0, 0, None, None)
        for text in ("[1", "2],3,[4", "5]")
    ]
    assert _same(WORKFLOWS, Workflow, rows) is None
    with pytest.raises(DecodeError):
        rows_to_models(WORKFLOWS, Workflow, rows)


def _workflow_variant(config: ConfigDict) -> type[SelectModel]:
    fields: dict[str, Any] = {f: (i.annotation, ...) for f, i in Workflow.model_fields.items()}
    model: type[SelectModel] = create_model("Variant", __config__=config, **fields)
    return model


class _Validated(Workflow):
    @field_validator("type")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class _Private(Workflow):
    _seen: int = PrivateAttr(default=0)


class _Extra(Workflow):
    note: str = "n"


class _Counted(Workflow):
    """A model with its own __new__, which pydantic-core calls for every instance."""

    made: ClassVar[int] = 0

    def __new__(cls, *args: Any, **kwargs: Any) -> _Counted:
        cls.made += 1
        return super().__new__(cls)


class _Shadowed(Workflow):
    """A class attribute in the place of one of BaseModel's slots."""

    __pydantic_extra__ = None


class _Meta(type(Workflow)):  # type: ignore[misc]
    """A metaclass of its own, which could answer attribute lookups on the class."""


class _OwnMeta(Workflow, metaclass=_Meta):
    pass


def _variants() -> list[tuple[str, type[Any]]]:
    fields: dict[str, Any] = {f: (i.annotation, ...) for f, i in Workflow.model_fields.items()}
    constrained = fields | {"type": (str, Field(max_length=2))}
    aliased = fields | {"type": (str, Field(alias="kind"))}
    reordered = dict(reversed(list(fields.items())))
    widened = fields | {"status": (Literal["PENDING", 1], ...)}
    bounded = fields | {"created_at": (AwareDatetime, Field(gt=datetime(2000, 1, 1, tzinfo=UTC)))}
    typed_json = fields | {"input_payload": (dict[str, int] | None, ...)}
    return [
        ("a field validator", _Validated),
        ("a private attribute", _Private),
        ("a field the table lacks", _Extra),
        ("a class attribute over a slot", _Shadowed),
        ("a metaclass of its own", _OwnMeta),
        ("a __new__ of its own", _Counted),
        ("strict", _workflow_variant(ConfigDict(strict=True, frozen=True))),
        ("stripped text", _workflow_variant(ConfigDict(str_strip_whitespace=True, frozen=True))),
        ("extra allowed", _workflow_variant(ConfigDict(extra="allow", frozen=True))),
        ("a length limit", create_model("C", __base__=SelectModel, **constrained)),
        ("an alias", create_model("A", __base__=SelectModel, **aliased)),
        ("fields in another order", create_model("R", __base__=SelectModel, **reordered)),
        ("a Literal not all text", create_model("W", __base__=SelectModel, **widened)),
        ("a datetime bound", create_model("B", __base__=SelectModel, **bounded)),
        ("JSON of a narrower type", create_model("J", __base__=SelectModel, **typed_json)),
    ]


@pytest.mark.parametrize(("why", "model"), _variants(), ids=[why for why, _ in _variants()])
def test_a_model_the_kinds_do_not_cover_is_left_to_pydantic(why: str, model: type[Any]) -> None:
    plan = _plan(WORKFLOWS)
    json_columns = frozenset({"input_payload", "output_payload"})
    assert row_builder(model, plan.names, plan.decoders, json_columns) is None, why
    # ...and still reads as pydantic reads it.
    row = ("i", "ab", "u", "PENDING", None, None, None, 0, 0, 0, None, None)
    try:
        expected: Any = row_by_row(WORKFLOWS, model, [row])
    except DecodeError:
        expected = DecodeError
    try:
        got: Any = rows_to_models(WORKFLOWS, model, [row])
    except DecodeError:
        got = DecodeError
    assert got == expected


def test_an_enum_and_a_null_timestamp_read_through_the_builder() -> None:
    """sync_metadata: text, a nullable timestamp and an enum, all built in C."""
    statuses = get_args(SyncMetadata.model_fields["sync_status"].annotation)
    rows = [("i", "t", None, status) for status in statuses] + [("j", "t", 7, statuses[0])]
    assert _same(SYNC_METADATA, SyncMetadata, rows) is not None


def test_building_and_leaving_rows_keeps_no_reference() -> None:
    """The C side's reference counting: nothing it built, parsed or refused stays alive."""
    batch = _batch(WORKFLOWS, Workflow)
    assert batch is not None
    marker = "".join(["marker-", "value"])  # not interned: counted only here
    good = (marker, "t", "u", "PENDING", '{"a": [1]}', None, marker, 0, 5, 5, None, None)
    bad = (marker, "t", "u", "PENDING", None, None, None, 0.5, 5, 5, None, None)
    longer = (*good, marker)
    before = sys.getrefcount(marker)
    for rows in ([good] * 50, [good] * 10 + [bad], [good, longer], [bad]):
        for _ in range(200):
            built = batch._build(rows)  # type: ignore[misc]
            del built
        gc.collect()
        assert sys.getrefcount(marker) == before, rows[-1]


def test_rows_that_are_not_tuples_of_the_table_are_left_to_pydantic() -> None:
    good = ("i", "t", "u", "PENDING", None, None, None, 0, 0, 0, None, None)
    for rows in ([list(good)], [good[:-1]], [(*good, None)]):
        assert _same(WORKFLOWS, Workflow, rows) is None  # type: ignore[arg-type]


def test_a_model_with_its_own_new_is_left_to_pydantic() -> None:
    """pydantic-core calls a model's own __new__ once per instance: the builder leaves
    such a model to it, so that a result set it would refuse halfway calls it no more."""
    assert _batch(WORKFLOWS, _Counted)._build is None  # type: ignore[union-attr]
    rows = [("i", "t", "u", "PENDING", None, None, None, 0, 0, 0, None, None)] * 3
    before = _Counted.made
    assert len(rows_to_models(WORKFLOWS, _Counted, rows)) == 3
    assert _Counted.made == before + 3


class _Reversed(list[tuple[Any, ...]]):
    def __iter__(self) -> Any:
        return iter(list(super().__iter__())[::-1])


def test_rows_in_a_list_of_another_kind_are_left_to_pydantic() -> None:
    """A list subclass may iterate in another order than its items: pydantic reads it."""
    rows = _Reversed(
        [
            ("a", "t", "u", "PENDING", '{"row": "a"}', None, None, 0, 0, 0, None, None),
            ("b", "t", "u", "PENDING", '{"row": "b"}', None, None, 0, 0, 0, None, None),
        ]
    )
    assert _same(WORKFLOWS, Workflow, rows) is None
    assert [(m.id, m.input_payload) for m in rows_to_models(WORKFLOWS, Workflow, rows)] == [
        ("b", {"row": "b"}),
        ("a", {"row": "a"}),
    ]

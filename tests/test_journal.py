"""journal.json has one owner (libsqlkit._journal): typed entries and loss records, the
runtime and the code generator read and write it through it, byte for byte as before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from libsqlkit._journal import (
    JournalEntry,
    JournalError,
    LossRecord,
    append_to_journal,
    read_journal,
)
from libsqlkit._migrate import MigrationError, MigrationFolder

ROOT = Path(__file__).parent.parent


def test_this_repository_s_journal_reads_typed_and_writes_back_byte_for_byte(
    tmp_path: Path,
) -> None:
    entries = read_journal(ROOT / "migrations")
    assert entries is not None and entries[0].name == "0000_init"
    assert LossRecord("table", "workflows") in entries[0].down_loses
    last = entries.pop()
    (tmp_path / "journal.json").write_text(
        json.dumps({"version": 1, "migrations": []}), encoding="utf-8"
    )
    for entry in [*entries, last]:
        append_to_journal(tmp_path, entry)
    assert (tmp_path / "journal.json").read_bytes() == (
        ROOT / "migrations" / "journal.json"
    ).read_bytes()


def test_rollback_reads_the_loss_records(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "migrations", tmp_path / "migrations")
    folder = MigrationFolder.load(tmp_path / "migrations")
    assert folder.entries[0].down_loses == (
        LossRecord("table", "workflows", None),
        LossRecord("table", "user_settings", None),
        LossRecord("table", "sync_metadata", None),
    )
    assert folder.problems() == []


BROKEN = [
    ("[]", r"the journal is list, not an object"),
    ('{"migrations": {}}', r"the journal: migrations is dict"),
    ('{"migrations": [{"kind": "schema"}]}', r"migrations\[0\] has no 'name'"),
    (
        '{"migrations": [{"name": "0000_a", "kind": "sql", "sha256": null}]}',
        r"migrations\[0\] \(0000_a\): kind 'sql' is not schema or data",
    ),
    (
        '{"migrations": [{"name": "0000_a", "kind": "data", "sha256": 7}]}',
        r"migrations\[0\] \(0000_a\): sha256 is int",
    ),
    (
        '{"migrations": [{"name": "0000_a", "kind": "schema", "sha256": "x",'
        ' "down_loses": [{"kind": "rows", "table": "t"}]}]}',
        r"\(0000_a\): down_loses\[0\]: kind 'rows' is not table, column or type",
    ),
    (
        '{"migrations": [{"name": "0000_a", "kind": "schema", "sha256": "x",'
        ' "down_loses": [{"kind": "column", "table": "t", "column": 3}]}]}',
        r"down_loses\[0\]: column is int",
    ),
    ("{", r"JSONDecodeError: "),
]


@pytest.mark.parametrize(("text", "message"), BROKEN, ids=[m for _, m in BROKEN])
def test_a_broken_journal_is_refused_with_where(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "journal.json").write_text(text, encoding="utf-8")
    with pytest.raises(JournalError, match=message):
        read_journal(tmp_path)
    with pytest.raises(MigrationError, match=r"journal\.json is not a migrations journal \("):
        MigrationFolder.load(tmp_path)


def test_a_folder_without_a_journal_has_none(tmp_path: Path) -> None:
    assert read_journal(tmp_path) is None
    append_to_journal(tmp_path, JournalEntry("0000_init", "data", None))
    assert read_journal(tmp_path) == [JournalEntry("0000_init", "data", None, ())]

# The compiled half of libsqlkit/_row_builder.py (libsqlkit/_rowbuild.c).
from typing import Any

def build(
    rows: list[tuple[Any, ...]],
    cls: type[Any],
    names: tuple[str, ...],
    kinds: bytes,
    lookups: tuple[Any, ...],
    decoders: tuple[Any, ...],
) -> list[Any] | None: ...

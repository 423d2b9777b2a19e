# The compiled half of libsqlkit/_row_builder.py (libsqlkit/_rowbuild.c).
from typing import Any

def build(
    cls: type[Any],
    names: tuple[str, ...],
    kinds: bytes,
    lookups: tuple[Any, ...],
    decoders: tuple[Any, ...],
    rows: list[tuple[Any, ...]],
) -> list[Any] | None: ...

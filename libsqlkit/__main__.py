"""`libsqlkit` (also `python -m libsqlkit`): the one command, see `libsqlkit --help`.

Without the code-generation extra (`pip install libsqlkit`, a production image) it still
runs migrate, rollback, status, sync and seed; the other commands then say which extra to add.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import cast

from libsqlkit._cli import COMMANDS, RUNTIME_COMMANDS, build_parser, run_runtime
from libsqlkit._config import ConfigFileError, load_config
from libsqlkit._errors import LibsqlKitError

__all__ = ["main"]

# The packages of the `codegen` extra: missing, they mean "not installed", not a bug.
CODEGEN_EXTRA = {"jinja2", "ruamel", "datamodel_code_generator", "ruff", "datasette"}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command_of(argv)
    if command not in RUNTIME_COMMANDS:
        full = _codegen_main()
        if full is not None:
            return full(argv)
        if command in COMMANDS:
            print(
                f"`libsqlkit {command}` needs the code-generation tools: "
                "pip install 'libsqlkit[codegen]' (as a development dependency)",
                file=sys.stderr,
            )
            return 1
    parser, _ = build_parser()
    args = parser.parse_args(argv)
    try:
        config = load_config().overridden(args.schema, args.out, args.package, args.migrations)
        return run_runtime(args, config, args)
    except ConfigFileError as error:
        print(error, file=sys.stderr)
        return 2
    except LibsqlKitError as error:
        print(f"{args.command} failed: {error}", file=sys.stderr)
        return 1


def _command_of(argv: list[str]) -> str | None:
    """The command word: the first argument that is neither an option nor its value."""
    valued = {"--schema", "--out", "--package", "--migrations", "--url"}
    words = iter(argv)
    for word in words:
        if word in valued:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _codegen_main() -> Callable[[Sequence[str] | None], int] | None:
    """The full command when the codegen extra is installed, else None."""
    try:
        module = importlib.import_module("libsqlkit.codegen.cli")
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] in {"libsqlkit", *CODEGEN_EXTRA}:
            return None
        raise
    return cast(Callable[[Sequence[str] | None], int], module.main)


if __name__ == "__main__":
    sys.exit(main())

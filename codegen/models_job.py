"""models.py made in a forked process while the CLI does the rest of `generate`.

datamodel-code-generator is most of a cold `generate` (≈3.3 s of 5.5 for 200 tables of
15 columns), and nothing else the CLI renders needs its output: tables.py, the
repositories and the rest depend only on the IR. So the CLI forks a child first, which
imports the generator while the parent reads schema.yaml and builds the IR; the child
is then given the IR and makes models.py while the parent renders and formats the
rest; the parent asks for the text last.

Only where it can help and is safe: a second CPU, Linux's `fork`, and no other thread
in this process (a fork copies locks another thread may hold). Otherwise, and for every
caller but the CLI, the text is made in this process when asked for, as before.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType

from .cache import OutputCache
from .ir import SchemaIR
from .models import render_models

__all__ = ["ModelsJob"]

GENERATOR = "datamodel_code_generator"


def _fork_helps() -> bool:
    """Linux only: elsewhere `fork` is not the safe default (macOS's system libraries
    may not survive it; Windows has none)."""
    return (
        sys.platform == "linux"
        and len(os.sched_getaffinity(0)) > 1  # the CPUs this process may run on
        and threading.active_count() == 1
    )


def _import_generator() -> None:
    importlib.import_module(GENERATOR)


class ModelsJob:
    """models.py's text: `start()` it once the IR is built, `text()` gives it."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[str] | None = None
        self._args: tuple[SchemaIR, str, OutputCache | None] | None = None
        if _fork_helps():
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            # The child's collector leaves what it inherits alone (frozen), or its passes
            # would write to every inherited object and so copy every page of the heap.
            gc.freeze()
            try:
                self._pool.submit(_import_generator)  # forks the child now
            finally:
                gc.unfreeze()

    def start(self, schema: SchemaIR, header: str, cache: OutputCache | None) -> None:
        self._args = (schema, header, cache)
        if self._pool is not None:
            self._future = self._pool.submit(render_models, schema, header, cache)

    def text(self) -> str:
        """The text, waiting for the child; its errors are raised here, as in-process."""
        if self._future is not None:
            return self._future.result()
        if self._args is None:
            raise RuntimeError("ModelsJob.text() before start()")
        return render_models(*self._args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> ModelsJob:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

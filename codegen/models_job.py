"""models.py made in forked processes while the CLI does the rest of `generate`.

datamodel-code-generator is most of a cold `generate` (≈4 s of 6 for 200 tables of 15
columns), and nothing else the CLI renders needs its output: tables.py, the
repositories and the rest depend only on the IR. So the CLI forks two children first,
which import the generator (and make its first, slow call on a one-class document)
while the parent reads schema.yaml and builds the IR. Each is then sent the IR and makes
the classes of half the tables (`models_share`), joined as the per-table cache joins
them (model_chunks.py), while the parent renders and formats the rest; the parent asks
for the text last. Where the classes cannot be joined (models that refer to others), the
first child makes the whole module. Measured on 200 × 15 tables on two CPUs: 4.5–5.1 s
against 5.8–6.4 s with one child.

Only where it can help and is safe: Linux (`fork`, and a child that dies with its
parent), a second CPU, and no other thread in this process (a fork copies locks another
thread may hold). Otherwise, when a child cannot be started, and when one fails for any
reason (its error is then raised by the same work done here, where it reads as
before), models.py is made in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import multiprocessing
import os
import signal
import sys
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from .cache import OutputCache
from .ir import SchemaIR
from .models import Share, models_of_shares, models_share, render_models, warm_up

__all__ = ["ModelsJob"]

GENERATOR = "datamodel_code_generator"
# Children that make models.py side by side, each for its share of the tables: the
# generator is single-threaded and takes about as long per table.
WORKERS = 2
_NICENESS = 5
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _threads() -> int:
    """This process's threads, native ones included (a Rust driver's, say)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0  # unknown: not 1, so no fork


def _fork_helps() -> bool:
    return sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1 and _threads() == 1


def _child(requests: Connection, replies: Connection, parent: int, index: int) -> None:
    """A child's whole life: killed with its parent, deaf to Ctrl-C (the parent handles
    it and kills the child), the generator imported, then its share of models.py made."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Behind the parent for the CPU: its work is on the way to the end whatever happens,
    # the children's only when the generator has tables to make (a warm cache has none).
    os.nice(_NICENESS)
    reply: Share = None
    try:
        importlib.import_module(GENERATOR)
        warm_up()
        schema, header, cache = requests.recv()
        reply = models_share(schema, header, cache, index, WORKERS)
    except BaseException:
        pass  # the parent makes models.py itself, where its error reads as before
    with contextlib.suppress(OSError):  # the parent is gone
        replies.send(reply)


class ModelsJob:
    """models.py's text: `start()` it once the IR is built, `text()` gives it, `close()`
    stops the children (use it with `contextlib.closing`)."""

    def __init__(self) -> None:
        self._args: tuple[SchemaIR, str, OutputCache | None] | None = None
        self._processes: list[BaseProcess] = []
        self._requests: list[Connection] = []
        self._replies: list[Connection] = []
        if _fork_helps():
            self._fork()

    @property
    def in_child(self) -> bool:
        """Whether the text is being made in child processes."""
        return bool(self._processes)

    def _fork(self) -> None:
        context = multiprocessing.get_context("fork")
        for index in range(WORKERS):
            # A child's ends are let go of as soon as it has them, before the next fork:
            # a later child holding them would keep a dead child's pipes open, and the
            # parent would wait on them for ever.
            child_ends: list[Connection] = []
            try:
                child_requests, requests = context.Pipe(duplex=False)
                child_ends.append(child_requests)
                self._requests.append(requests)
                replies, child_replies = context.Pipe(duplex=False)
                child_ends.append(child_replies)
                self._replies.append(replies)
                process = context.Process(
                    target=_child,
                    args=(child_requests, child_replies, os.getpid(), index),
                    daemon=True,
                )
                # A child's collector leaves what it inherits alone (frozen), or its
                # passes would write to every inherited object, copying the whole heap.
                gc.freeze()
                try:
                    process.start()
                finally:
                    gc.unfreeze()
                self._processes.append(process)
            except OSError:  # no descriptors or no fork to be had: in this process
                self.close()
                return
            finally:
                for end in child_ends:
                    end.close()

    def start(self, schema: SchemaIR, header: str, cache: OutputCache | None) -> None:
        self._args = (schema, header, cache)
        try:
            for requests in self._requests:
                requests.send(self._args)
        except OSError:  # a child is gone
            self.close()

    def text(self) -> str:
        """The text: the children's, or made here if there are none or one failed."""
        if self._args is None:
            raise RuntimeError("ModelsJob.text() before start()")
        if self._replies:
            shares: list[Share] = []
            for replies in self._replies:
                try:
                    shares.append(replies.recv())
                except (EOFError, OSError):  # the child died
                    shares.append(None)
            self.close()
            text = models_of_shares(self._args[1], shares)
            if text is not None:
                return text
        return render_models(*self._args)

    def close(self) -> None:
        """Stop the children that still run, and let go of the pipes."""
        for process in self._processes:
            if process.is_alive():
                process.kill()
            process.join()
        for connection in (*self._requests, *self._replies):
            connection.close()
        self._processes, self._requests, self._replies = [], [], []

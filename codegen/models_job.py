"""models.py made in a forked process while the CLI does the rest of `generate`.

datamodel-code-generator is most of a cold `generate` (≈3.3 s of 5.5 for 200 tables of
15 columns), and nothing else the CLI renders needs its output: tables.py, the
repositories and the rest depend only on the IR. So the CLI forks a child first, which
imports the generator while the parent reads schema.yaml and builds the IR; the child
is then sent the IR and makes models.py while the parent renders and formats the rest;
the parent asks for the text last.

Only where it can help and is safe: Linux (`fork`, and a child that dies with its
parent), a second CPU, and no other thread in this process (a fork copies locks another
thread may hold). Otherwise, when the child cannot be started, and when it fails for any
reason (its error is then raised by the same work done here, where it reads as
before), models.py is made in this process.
"""

from __future__ import annotations

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
from .models import render_models

__all__ = ["ModelsJob"]

GENERATOR = "datamodel_code_generator"
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


def _child(requests: Connection, replies: Connection, parent: int) -> None:
    """The child's whole life: killed with its parent, deaf to Ctrl-C (the parent
    handles it and kills the child), the generator imported, then one request served."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    importlib.import_module(GENERATOR)
    schema, header, cache = requests.recv()
    try:
        reply = render_models(schema, header, cache)
    except BaseException:
        reply = None
    replies.send(reply)


class ModelsJob:
    """models.py's text: `start()` it once the IR is built, `text()` gives it, `close()`
    stops the child (use it with `contextlib.closing`)."""

    def __init__(self) -> None:
        self._args: tuple[SchemaIR, str, OutputCache | None] | None = None
        self._process: BaseProcess | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None
        if _fork_helps():
            self._fork()

    @property
    def in_child(self) -> bool:
        """Whether the text is being made in a child process."""
        return self._process is not None

    def _fork(self) -> None:
        context = multiprocessing.get_context("fork")
        child_ends: list[Connection] = []  # the parent lets go of them in any case
        try:
            child_requests, self._requests = context.Pipe(duplex=False)
            child_ends.append(child_requests)
            self._replies, child_replies = context.Pipe(duplex=False)
            child_ends.append(child_replies)
            process = context.Process(
                target=_child, args=(child_requests, child_replies, os.getpid()), daemon=True
            )
            # The child's collector leaves what it inherits alone (frozen), or its passes
            # would write to every inherited object and so copy every page of the heap.
            gc.freeze()
            try:
                process.start()
            finally:
                gc.unfreeze()
        except OSError:  # no descriptors or no fork to be had: in this process
            self.close()
            return
        finally:
            for end in child_ends:
                end.close()
        self._process = process

    def start(self, schema: SchemaIR, header: str, cache: OutputCache | None) -> None:
        self._args = (schema, header, cache)
        if self._requests is not None:
            try:
                self._requests.send(self._args)
            except OSError:  # the child is gone
                self.close()

    def text(self) -> str:
        """The text: the child's, or made here if there is no child or it failed."""
        if self._args is None:
            raise RuntimeError("ModelsJob.text() before start()")
        if self._replies is not None:
            try:
                reply = self._replies.recv()
            except (EOFError, OSError):  # the child died
                reply = None
            self.close()
            if isinstance(reply, str):
                return reply
        return render_models(*self._args)

    def close(self) -> None:
        """Stop the child if it still runs, and let go of the pipes."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._process = None
        for connection in (self._requests, self._replies):
            if connection is not None:
                connection.close()
        self._requests = self._replies = None

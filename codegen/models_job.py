"""models.py made in forked processes while the CLI does the rest of `generate`.

datamodel-code-generator is most of a cold `generate` (≈4 s of 6 for 200 tables of 15
columns), and nothing else the CLI renders needs its output: tables.py, the
repositories and the rest depend only on the IR. So the CLI forks a child first, which
imports the generator (and makes its first, slow call on a one-class document) while
the parent reads schema.yaml and builds the IR, then forks the second child from itself,
warm (importing and warming up the generator twice cost ≈0.8 s more CPU, on a machine
where the three processes share two CPUs). Each is then sent the IR and makes the
classes of half the tables (`models_share`), joined as the per-table cache joins them
(model_chunks.py), while the parent renders and formats the rest; the parent asks for
the text last. Each child also checks its classes for names the generator changed, on
the syntax tree it cut them from, so the parent parses and checks models.py only when a
child found a clash or could not tell (≈0.27 s off the end of 200 tables). Where the
classes cannot be joined (models that refer to others), the first child makes the
whole module. Measured on 200 × 15 tables on two CPUs: 4.5–5.1 s
against 5.8–6.4 s with one child; with the second child forked warm, 4.3–4.9 s against
5.1–6.2 s in the same hour (CPU ≈8 s against ≈9.7 s).

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
# How long a child that has sent its share may take to exit before it is killed: waited
# for, its CPU time (its siblings' included) counts in the parent's children's usage.
_EXIT_S = 5.0


def _threads() -> int:
    """This process's threads, native ones included (a Rust driver's, say)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0  # unknown: not 1, so no fork


def _fork_helps() -> bool:
    return sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1 and _threads() == 1


def _die_with(parent: int) -> None:
    """Be killed with `parent`; exit now if it is already gone."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _child(ends: list[tuple[Connection, Connection]], parent: int) -> None:
    """The first child's whole life, and from the generator's warm-up on its siblings'
    too: killed with its parent, deaf to Ctrl-C (the parent handles it and kills the
    child), the generator imported and warmed up, then the siblings forked from it, warm
    (each would otherwise import and warm up the generator again: ≈0.8 s of CPU), then
    each child's share of models.py made. `ends[i]`: child i's (requests, replies)."""
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Behind the parent for the CPU: its work is on the way to the end whatever happens,
    # the children's only when the generator has tables to make (a warm cache has none).
    os.nice(_NICENESS)
    index, warm = 0, False
    siblings: list[int] = []
    try:
        importlib.import_module(GENERATOR)
        warm_up()
        warm = True
        index, siblings = _fork_siblings(len(ends))
    except BaseException:
        pass  # the parent makes models.py itself, where its error reads as before
    requests, replies = ends[index]
    for other, pair in enumerate(ends):
        if other != index:  # a sibling's pipes, which only it may hold
            for end in pair:
                end.close()
    reply: Share = None
    if warm:
        try:
            schema, header, cache = requests.recv()
            reply = models_share(schema, header, cache, index, WORKERS)
        except BaseException:
            pass
    with contextlib.suppress(OSError):  # the parent is gone
        replies.send(reply)
    if index:
        os._exit(0)  # a sibling: not back into the first child's multiprocessing code
    for pid in siblings:  # each dies with this process: it waits for them
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _fork_siblings(count: int) -> tuple[int, list[int]]:
    """Fork children 1..count-1 from the first: (this process's index, the siblings'
    pids, in the first). A sibling that cannot be forked leaves its pipes to close with
    the first child, and the parent then makes models.py itself."""
    first = os.getpid()
    pids = []
    for index in range(1, count):
        gc.freeze()  # as in the parent's fork: a sibling's collector copies no heap
        try:
            pid = os.fork()
        except OSError:
            break
        finally:
            gc.unfreeze()
        if pid == 0:
            _die_with(first)
            return index, []
        pids.append(pid)
    return 0, pids


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
        """The first child, given every child's pipe ends: it forks the others itself
        (`_child`). The parent lets go of those ends once the child has them: a child
        that dies then closes its pipes, and the parent reads that as no share."""
        context = multiprocessing.get_context("fork")
        child_ends: list[Connection] = []
        try:
            ends = []
            for _ in range(WORKERS):
                child_requests, requests = context.Pipe(duplex=False)
                replies, child_replies = context.Pipe(duplex=False)
                child_ends += (child_requests, child_replies)
                self._requests.append(requests)
                self._replies.append(replies)
                ends.append((child_requests, child_replies))
            process = context.Process(target=_child, args=(ends, os.getpid()), daemon=True)
            # A child's collector leaves what it inherits alone (frozen), or its passes
            # would write to every inherited object, copying the whole heap.
            gc.freeze()
            try:
                process.start()
            finally:
                gc.unfreeze()
            self._processes.append(process)
        except OSError:  # no descriptors or no fork to be had: in this process
            self.close()
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

    def text(self) -> tuple[str, bool]:
        """The text: the children's, or made here if there are none or one failed; and
        whether the children found its classes free of clashes (`models_share`)."""
        if self._args is None:
            raise RuntimeError("ModelsJob.text() before start()")
        if self._replies:
            shares: list[Share] = []
            for replies in self._replies:
                try:
                    shares.append(replies.recv())
                except (EOFError, OSError):  # the child died
                    shares.append(None)
            for process in self._processes:  # done: it exits once its siblings have
                process.join(_EXIT_S)
            self.close()
            made = models_of_shares(self._args[1], shares)
            if made is not None:
                return made
        return render_models(*self._args), False

    def close(self) -> None:
        """Stop the children that still run, and let go of the pipes."""
        for process in self._processes:
            if process.is_alive():
                process.kill()
            process.join()
        for connection in (*self._requests, *self._replies):
            connection.close()
        self._processes, self._requests, self._replies = [], [], []

"""Progress of long commands, on stderr: a bar on a terminal; elsewhere (a log, a pipe, a
service manager's journal) short lines as the work goes, which a log keeps and a person
tailing it can read. stdout stays the command's result (one JSON document with --json)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from albumen.cli.output import err_console

LINES = 100  # at most about this many progress lines for a whole run (and every rejection)


class Steps:
    """``total`` items done one by one: ``advance(summary)`` after each, ``note(text)`` for
    something to say about one (a rejected file), kept above the bar."""

    def __init__(self, label: str, total: int, console: Console = err_console) -> None:
        self.label, self.total, self.console = label, total, console
        self.done = 0
        self.terminal = console.is_terminal
        self._step = max(1, total // LINES)
        self._bar: Progress | None = None

    def __enter__(self) -> Steps:
        if self.terminal:
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=self.console, transient=False)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()

    def resize(self, total: int) -> None:
        """The total, once it is known (a search counted as it is read)."""
        if total != self.total:
            self.total, self._step = total, max(1, total // LINES)
            if self._bar is not None:
                self._bar.update(self._task, total=total)

    def advance(self, summary: str = "", to: int | None = None) -> None:
        """One more item done (or ``to`` done in all); ``summary``: the counts so far."""
        before, self.done = self.done, self.done + 1 if to is None else to
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
        elif self.done != before and (self.done == self.total
                                      or self.done // self._step != before // self._step):
            tail = f" {summary}" if summary else ""
            self.console.print(f"{self.label}: [{self.done}/{self.total}]{tail}",
                               markup=False, highlight=False)

    def note(self, text: str) -> None:
        (self._bar.console if self._bar is not None else self.console).print(
            text, markup=False, highlight=False)


@contextmanager
def finding(label: str, console: Console = err_console) -> Iterator[Callable[[int], None]]:
    """While items are counted before the work starts: a spinner with the count so far on a
    terminal (a walk of a big folder takes a while), nothing elsewhere."""
    if not console.is_terminal:
        yield lambda n: None
        return
    with console.status(f"{label}…") as status:
        yield lambda n: status.update(f"{label}… {n:,}")


class Interrupted(KeyboardInterrupt):
    """SIGTERM, raised in the main thread as Ctrl-C raises KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_status(exc: KeyboardInterrupt) -> int:
    """What a shell reports for a process ended by the signal: 128 + its number."""
    return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)


@contextmanager
def stop_cleanly_on_sigterm() -> Iterator[None]:
    """SIGTERM (`kill`, a service manager stopping the command) becomes an exception in the
    main thread, like Ctrl-C: ``finally`` blocks and ``with`` exits run, so files being
    staged are removed, and a restore undoes what it did, before the process ends."""

    def raise_interrupted(signum: int, _frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

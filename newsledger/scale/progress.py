"""Progress over partitions: a Rich progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class PartitionProgress:
    """Counts finished partitions and articles; ``enabled=False`` prints nothing."""

    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.articles = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.tty = enabled and self.stream.isatty()
        self._bar: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> PartitionProgress:
        if self.tty:
            self._bar = Progress(
                TextColumn("[bold]partitions"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[articles]} articles"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("run", total=self.total, articles=0)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)
            self._bar = None

    def note(self, message: str) -> None:
        """A line above the bar (or on its own)."""
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.console.print(message, highlight=False, markup=False)
        else:
            print(message, file=self.stream, flush=True)

    def advance(self, what: str, rows: int, reused: bool = False) -> None:
        self.done += 1
        self.articles += rows
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, advance=1, articles=self.articles)
        else:
            state = "reused" if reused else "done"
            print(
                f"[{self.done}/{self.total}] {state}: {what} ({rows} articles)",
                file=self.stream,
                flush=True,
            )

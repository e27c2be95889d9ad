"""Progress of long work on stderr: rich bars on a terminal, plain stage lines in logs, nothing with ``--quiet``.

Library code announces its stages; the command line decides whether anyone hears them.
Until :func:`configure` is called (the CLI calls it once per command), every call here
is silent, so the package stays quiet in notebooks, tests and other programs.

* ``rich`` — a live display (spinner, bar, count, elapsed time) drawn by rich, one row per
  stage, kept on screen when the stage ends (as pip and hatch do);
* ``plain`` — for a stage that runs for more than a second, one line when it starts and one when it
  ends, with its count and time, for logs and CI where a redrawn bar would be noise (a quick stage
  says nothing, so a command that fails on bad input prints its one error line alone);
* ``quiet`` — nothing;
* ``auto`` — ``rich`` when the stream is a terminal, ``plain`` otherwise.

Results never go through here: they are the command's standard output.

Example:
    >>> import io, time
    >>> log = io.StringIO()
    >>> configure("plain", stream=log, label="kg demo")
    >>> with task("counting sheep", total=3) as advance:
    ...     for _ in range(3):
    ...         time.sleep(0.4)
    ...         advance()
    >>> close()
    >>> print(log.getvalue(), end="")  # doctest: +ELLIPSIS
    kg demo: counting sheep (3)…
    kg demo: counting sheep: done (3/3, ... s)

"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rich.progress import Progress

MODES = ("auto", "rich", "plain", "quiet")
#: Seconds a stage runs before its plain start line is written.
START_LINE_AFTER = 1.0

T = TypeVar("T")


class _State:
    """Where progress goes now (module state: one command runs per process)."""

    mode = "quiet"
    stream: IO[str] = sys.stderr
    label = "kg"
    live: Progress | None = None
    lock = threading.Lock()


def configure(mode: str = "auto", stream: IO[str] | None = None, label: str = "kg") -> None:
    """Send progress to ``stream`` (stderr by default) in ``mode``, each plain line prefixed by ``label``."""
    if mode not in MODES:
        raise ValueError(f"unknown progress mode {mode!r}; expected one of {', '.join(MODES)}")
    close()
    _State.stream = stream if stream is not None else sys.stderr
    if mode == "auto":
        isatty = getattr(_State.stream, "isatty", None)
        mode = "rich" if isatty is not None and isatty() else "plain"
    _State.mode, _State.label = mode, label


def mode() -> str:
    """The mode in force: ``rich``, ``plain`` or ``quiet``."""
    return _State.mode


def close() -> None:
    """Stop the live display (its last frame stays on screen) and go quiet again until :func:`configure`."""
    if _State.live is not None:
        live, _State.live = _State.live, None
        with contextlib.suppress(OSError, ValueError):  # the terminal went away: nothing left to draw on
            live.stop()
    _State.mode = "quiet"


def _live() -> Progress:
    if _State.live is None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            ProgressColumn,
            SpinnerColumn,
            Task,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.text import Text

        class Count(ProgressColumn):
            """``done/total`` for a counted stage; nothing for a stage that only starts and ends."""

            def render(self, task: Task) -> Text:
                if not task.fields.get("counted"):
                    return Text("")
                total = "?" if task.total is None else str(int(task.total))
                return Text(f"{int(task.completed)}/{total}", style="progress.download")

        console = Console(file=_State.stream, force_terminal=True)
        # What the command itself writes to stderr meanwhile (warnings) is printed above the bars.
        _State.live = Progress(
            SpinnerColumn(finished_text="[green]✓[/green]"),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            Count(),
            TimeElapsedColumn(),
            console=console,
            redirect_stdout=False,
            redirect_stderr=_State.stream is sys.stderr,
        )
        _State.live.start()
    return _State.live


def _ignore(n: int = 1) -> None:
    """Count nothing (progress is quiet)."""


def _line(text: str) -> None:
    with _State.lock:  # the delayed start lines come from a timer thread
        _State.stream.write(f"{_State.label}: {text}\n")
        _State.stream.flush()


@contextmanager
def task(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A stage of work; the context gives ``advance(n=1)`` to count its steps (out of ``total``, if known).

    The stage ends when the block does; on an error, a plain log says no more (the command's error follows).
    """
    if _State.mode == "quiet":
        yield _ignore
        return
    done = 0
    started = time.perf_counter()
    if _State.mode == "rich":
        live = _live()
        ident = live.add_task(description, total=total, counted=total is not None)

        def advance(n: int = 1) -> None:
            nonlocal done
            done += n
            live.advance(ident, n)

        try:
            yield advance
        finally:
            # A stage without a known total is complete when it ends: its bar fills.
            live.update(ident, total=total if total is not None else max(done, 1), completed=total or max(done, 1))
            live.stop_task(ident)
        return

    # The start line waits a moment: a stage that ends (or fails) quickly needs only its end line,
    # and bad input stays one error line; a long one says what it is doing while it runs.
    announce = threading.Timer(
        START_LINE_AFTER, _line, [f"{description}" + (f" ({total})…" if total is not None else "…")]
    )
    announce.daemon = True
    announce.start()

    def count(n: int = 1) -> None:
        nonlocal done
        done += n

    try:
        yield count
    finally:
        announce.cancel()
    # No line when the stage fails: the error the command prints next says what went wrong. A quick
    # stage says nothing either, so a command that then fails on bad input still prints one line.
    took = time.perf_counter() - started
    if took >= START_LINE_AFTER:
        counted = f"{done}/{total}, " if total is not None else (f"{done}, " if done else "")
        _line(f"{description}: done ({counted}{took:.2f} s)")


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Yield ``items``, counting each as a step of the stage ``description``."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with task(description, total) as advance:
        for item in items:
            yield item
            advance(1)

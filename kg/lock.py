"""One writer at a time per store: an advisory file lock that waits, says why, and gives up cleanly.

Every command that writes a store (``kg build``, ``kg ingest``, ``kg withdraw``, ``kg dump``, and
``kg serve --writable`` while it runs) holds :func:`writer_lock` for the whole write. A second
writer waits for it, says on stderr whom it waits for, and after ``wait`` seconds gives up with a
:class:`~kg.errors.StoreError` instead of RocksDB's own ``LOCK`` error; since writes are
serialised, two writers that overlap both land, one after the other.

The lock is ``flock`` on ``.<store>.lock`` beside the store link: the kernel releases it when the
holder exits, however it exits, so a killed writer never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import StoreError

#: Seconds a writer waits for another one before giving up (``--wait`` changes it).
DEFAULT_WAIT = 600.0


def lock_path(store_path: Path) -> Path:
    """The lock file of the store at ``store_path``."""
    return store_path.parent / f".{store_path.name}.lock"


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextmanager
def writer_lock(
    store_path: Path, command: str, wait: float = DEFAULT_WAIT, say: Callable[[str], None] = _stderr
) -> Iterator[None]:
    """Hold the store's writer lock for a ``with`` block, waiting up to ``wait`` seconds for it.

    ``command`` (e.g. ``"kg ingest"``) is what a waiting writer is told it waits for; ``say``
    receives the one waiting message (stderr by default).
    """
    path = lock_path(store_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot lock {store_path} for writing: {exc.strerror or exc} ({path})") from exc
    try:
        _acquire(fd, store_path, wait, say)
        # Name the holder for the writers that will wait on us.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{command} (pid {os.getpid()})".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _acquire(fd: int, store_path: Path, wait: float, say: Callable[[str], None]) -> None:
    deadline = time.monotonic() + wait
    pause = 0.02
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "kg process"
        if time.monotonic() >= deadline:
            raise StoreError(
                f"another {holder} is still writing {store_path} after {wait:g} s; "
                "nothing was written (try again later, or wait longer with --wait SECONDS)"
            )
        if not told:
            say(f"waiting for another {holder} to finish writing {store_path} (up to {wait:g} s)…")
            told = True
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, 0.25)

"""Fault injection for the tests: kill the process at a named point of a write.

``KG_KILL_AT=<point>`` in the environment makes :func:`kill_point` send SIGKILL to its own process
when the write reaches ``<point>``, so a test can check what a crash at exactly that moment leaves
behind (the points are listed in :data:`POINTS`). Unset, as it always is outside the tests, each
call costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

#: The points a write passes, in order: build, ingest, withdraw and dump share the ones after "locked".
POINTS = (
    "locked",  # the writer lock is held, leftovers of earlier writes are cleaned
    "version-made",  # the new version's folder exists (build: the dumps are being written)
    "store-loaded",  # build: the store is loaded; ingest/withdraw: the copied store is updated
    "dumps-written",  # the new version's dumps are complete (build, dump, --dump)
    "manifest-written",  # the new version is complete, not yet the store
    "switched",  # the store link points to the new version, the old one is not yet removed
    "pruned",  # the old version is removed; the lock is about to be released
)

_VARIABLE = "KG_KILL_AT"


def kill_point(point: str) -> None:
    """SIGKILL this process if ``KG_KILL_AT`` names ``point`` (tests only)."""
    if os.environ.get(_VARIABLE) == point:
        os.kill(os.getpid(), signal.SIGKILL)

"""Long commands talk on stderr: rich on a terminal, plain stage lines otherwise, nothing with --quiet."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import progress
from kg.build import build
from kg.cli import EXIT_OK, main

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("progress") / "build"
    build(out_dir=out)
    return out / "store"


def test_library_calls_are_silent_until_configured(capsys: pytest.CaptureFixture[str]) -> None:
    progress.close()
    with progress.task("nobody asked", total=2) as advance:
        advance(2)
    assert list(progress.track([1, 2], "still nobody")) == [1, 2]
    assert capsys.readouterr() == ("", "")


def test_plain_mode_writes_a_line_as_a_long_stage_starts_and_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "START_LINE_AFTER", 0.05)
    log = io.StringIO()
    progress.configure("auto", stream=log, label="kg test")  # StringIO is no terminal: plain
    assert progress.mode() == "plain"
    assert list(progress.track(["a", "b", "c"], "reading files")) == ["a", "b", "c"]
    with progress.task("validating"):
        time.sleep(0.3)
    with pytest.raises(RuntimeError), progress.task("failing"):
        raise RuntimeError("boom")
    progress.close()
    lines = log.getvalue().splitlines()
    # A quick stage says nothing (a command failing on bad input right after it prints one line).
    assert lines[0] == "kg test: validating…" and lines[1].startswith("kg test: validating: done (")
    assert lines[2:] == [], "a stage that fails quickly says nothing: the command's error is the one line"


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown progress mode"):
        progress.configure("loud")


@pytest.mark.parametrize(
    ("argv", "stages"),
    [
        (["build", "--out", "{tmp}/b"], ["reading the reference data", "writing the dumps", "validating the graph"]),
        (["validate", "--store", "{store}"], ["validating"]),
        (["export", "--store", "{store}", "--out", "{tmp}/g.graphml"], ["reading the entities", "writing graphml"]),
        (["view", "--store", "{store}", "--out", "{tmp}/v.html"], ["reading the entities", "laying out", "writing"]),
        (["report", "--store", "{store}", "--out", "{tmp}/r"], ["querying", "drawing"]),
    ],
)
def test_commands_show_stage_lines_on_stderr_and_results_alone_on_stdout(
    store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stages: list[str],
) -> None:
    monkeypatch.setattr(progress, "START_LINE_AFTER", 0.0)  # every stage counts as long on the bundled data
    args = [a.format(tmp=tmp_path, store=store) for a in argv]
    assert main(args) == EXIT_OK
    out, err = capsys.readouterr()
    command = args[0]
    for stage in stages:
        assert re.search(rf"^kg {command}: {stage}.*: done \(", err, re.M), (stage, err)
    assert f"kg {command}:" not in out, "progress never goes to standard output"
    assert main([*args, "--quiet"]) == EXIT_OK
    quiet_out, quiet_err = capsys.readouterr()
    assert f"kg {command}:" not in quiet_err
    assert quiet_out.splitlines()[:1] == out.splitlines()[:1], "--quiet changes nothing but stderr"


def test_quiet_goes_before_or_after_the_command(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "validate", "--store", str(store)]) == EXIT_OK
    assert "kg validate:" not in capsys.readouterr().err


def _run_on_a_terminal(argv: list[str], cwd: Path) -> tuple[str, str]:
    """Run ``kg`` with its stderr on a pseudo-terminal (stdout a pipe); return (stdout, what the terminal got)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=terminal,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm-256color"},
    )
    os.close(terminal)
    screen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's other end closed: the process is done
            break
        if not chunk:
            break
        screen += chunk
    out = process.communicate(timeout=60)[0]
    os.close(controller)
    assert process.returncode == EXIT_OK, screen.decode(errors="replace")
    return out.decode(), screen.decode(errors="replace")


def test_on_a_terminal_progress_is_drawn_by_rich(tmp_path: Path) -> None:
    out, screen = _run_on_a_terminal(["build", "--out", str(tmp_path / "b")], tmp_path)
    assert "\x1b[" in screen, "a live display redraws with escape codes"
    text = ANSI.sub("", screen)
    assert "✓ reading the reference data" in text and "✓ validating the graph against the shapes" in text
    assert "kg build: reading" not in text, "no plain stage lines on a terminal"
    assert out.startswith("built ") and "\x1b[" not in out, "stdout stays plain results"
    _, quiet = _run_on_a_terminal(["build", "--out", str(tmp_path / "b"), "--quiet"], tmp_path)
    assert "reading the reference data" not in ANSI.sub("", quiet)

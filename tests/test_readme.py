"""The README cannot rot: every shell and Python block it shows runs, in order, as a user would.

The blocks run in one empty working folder (so `kg build` writes `build/` there), with the
installed `kg` on the PATH and `../shared` pointing at the shared inputs; a shell block followed by
a plain block must print that block. The two install commands (venv, pip, pytest) are CI's own
and are not run here; `kg serve`, which runs until stopped, is tested in tests/test_serve.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```\n(?P<after>\s*```\n(?P<output>.*?)^```\n)?", re.S | re.M)


def readme_blocks() -> list[tuple[str, str, str | None]]:
    """(language, text, expected output) of each code block a user may run, in order."""
    found = []
    for match in BLOCK.finditer((REPO / "README.md").read_text(encoding="utf-8")):
        lang, body = match.group("lang"), match.group("body")
        if lang not in ("sh", "python") or "pip install" in body:
            continue
        lines = [line for line in body.splitlines() if not line.startswith(". .venv/bin/activate")]
        if any(line.lstrip().startswith("kg serve") for line in lines):
            continue
        found.append((lang, "\n".join(lines) + "\n", match.group("output")))
    return found


def test_the_readme_shows_commands_to_run() -> None:
    blocks = readme_blocks()
    assert sum(lang == "sh" for lang, _, _ in blocks) >= 6 and any(lang == "python" for lang, _, _ in blocks)
    assert any(output for _, _, output in blocks)


def _commands(text: str, cwd: Path) -> list[list[str]]:
    """The argument lists of the `kg` commands in a shell block, as bash reads them (quotes, globs, comments)."""
    # An empty PATH: a block that ran anything but kg would fail here, not run it.
    script = "set -e\nkg() { printf 'kg\\0'; printf '%s\\0' \"$@\"; printf '\\1\\0'; }\n" + text
    bash = shutil.which("bash") or "/bin/bash"
    listed = subprocess.run(
        [bash, "-c", script], cwd=cwd, env={"PATH": ""}, capture_output=True, text=True, check=True
    ).stdout
    return [command.split("\0")[:-1] for command in listed.split("\1\0") if command]


def test_every_command_in_the_readme_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each `kg` command runs in-process through kg.cli.main, as the `kg` script would run it; bash
    # reads the block first, so quoting, globs and comments are the shell's.
    from kg.cli import main

    work = tmp_path / "work"
    work.mkdir()
    if SHARED.is_dir():
        (tmp_path / "shared").symlink_to(SHARED)
    monkeypatch.chdir(work)
    monkeypatch.delenv("KG_SHACL_ENGINE", raising=False)
    for lang, text, output in readme_blocks():
        if "../shared" in text and not SHARED.is_dir():
            continue
        if lang == "python":
            ran = subprocess.run([sys.executable, "-c", text], cwd=work, capture_output=True, text=True, timeout=600)
            assert ran.returncode == 0, f"README block failed:\n{text}\n--- stderr:\n{ran.stderr[-3000:]}"
            continue
        printed = ""
        for argv in _commands(text, work):
            assert argv[0] == "kg", f"a README shell block runs kg only: {argv}"
            code = main(argv[1:])
            said = capsys.readouterr()
            assert code == 0, f"README command failed: {argv}\n{said.err[-3000:]}"
            printed = said.out
        if output is not None:
            assert output.strip() in printed, f"README block printed something else:\n{printed[-2000:]}"


@pytest.mark.parametrize("name", ["main-command", "test-command"])
def test_ci_reads_both_install_commands(name: str) -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"<!-- {name} -->\n```sh\n.+\n```\n<!-- /{name} -->", text)

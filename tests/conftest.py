"""Shared fixtures: the small reference backbone written for the tests, and paths to shared inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    """A writable copy of the test backbone (tests/fixtures/reference)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "reference", target)
    return target

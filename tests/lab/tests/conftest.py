# -*- coding: utf-8 -*-
"""Fixtures shared by the lab's own tests: the running lab's description."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labinfo import lab_dir, load_lab  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def lab() -> dict:
    return load_lab()


@pytest.fixture(scope="session")
def lab_path() -> Path:
    return lab_dir()

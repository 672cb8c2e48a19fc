# -*- coding: utf-8 -*-
"""Read the running lab's description (lab.json) for tests. A missing lab is a failure, never a skip."""
from __future__ import annotations

import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def lab_dir() -> Path:
    return Path(os.environ.get("MDI_LAB_DIR", REPO / ".lab")).resolve()


def load_lab() -> dict:
    path = lab_dir() / "lab.json"
    if not path.exists():
        raise RuntimeError(f"lab not running: run make lab-up (no {path})")
    lab = json.loads(path.read_text())
    if not lab.get("components"):
        raise RuntimeError(f"lab not running: run make lab-up ({path} lists no running component)")
    return lab

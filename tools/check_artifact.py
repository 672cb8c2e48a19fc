# -*- coding: utf-8 -*-
"""Fail when the built collection artifact carries what must stay out of it (tests output, venvs,
lab state, caches, build tooling), or lacks what it must carry."""
from __future__ import annotations

import sys
import tarfile

FORBIDDEN = (".venv", ".lab/", ".build/", "tests/output/", "__pycache__", ".pytest_cache", ".git/", "tests/bench/", ".ci/")
REQUIRED = ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "README.md")


def main(path: str) -> int:
    with tarfile.open(path) as archive:
        names = archive.getnames()
    bad = [n for n in names if any(part in n + "/" for part in FORBIDDEN)]
    missing = [r for r in REQUIRED if r not in names]
    for name in bad:
        print(f"artifact must not contain: {name}")
    for name in missing:
        print(f"artifact lacks: {name}")
    print(f"{path}: {len(names)} entries, {len(bad)} forbidden, {len(missing)} missing")
    return 1 if bad or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

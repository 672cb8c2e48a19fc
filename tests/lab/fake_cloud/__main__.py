# -*- coding: utf-8 -*-
"""`python -m fake_cloud CONFIG.json` (cwd tests/lab): run the fake Microsoft cloud until SIGTERM."""
from __future__ import annotations

from .server import main

if __name__ == "__main__":
    main()

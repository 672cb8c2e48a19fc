# -*- coding: utf-8 -*-
"""`python -m fake_winrm CONFIG.json` (run with tests/lab as the working directory)."""
from __future__ import annotations

from .server import main

main()

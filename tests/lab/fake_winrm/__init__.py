# -*- coding: utf-8 -*-
"""Fake Windows domain controllers that speak real WinRM, for the lab (see server.py)."""

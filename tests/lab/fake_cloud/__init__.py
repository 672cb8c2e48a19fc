# -*- coding: utf-8 -*-
"""Fake Microsoft cloud for the lab: login (OIDC + token), Graph, Defender portal (see server.py)."""

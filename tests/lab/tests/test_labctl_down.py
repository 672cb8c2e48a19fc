# -*- coding: utf-8 -*-
"""labctl down stops the labs that make integration's other workers start inside the lab's directory: a killed test run
leaves them up, and the next run's worker could not start its own."""
from __future__ import annotations

import labctl


def test_down_stops_the_worker_labs_inside_the_lab_first(tmp_path, monkeypatch):
    main, worker = tmp_path / "lab", tmp_path / "lab" / "xdist-gw1"
    # The fake cloud alone, on addresses no running lab uses (without a DC its address would be 127.20.0.1).
    try:
        monkeypatch.setenv("MDI_LAB_CLOUD_IP", "127.20.250.1")
        labctl.up(main, ["cloud"])
        monkeypatch.setenv("MDI_LAB_CLOUD_IP", "127.20.251.1")
        labctl.up(worker, ["cloud"])  # what a killed run leaves
        labctl.down(main)
        assert labctl.load(worker)["components"] == [] and labctl.load(main)["components"] == []
        assert labctl.status(worker) == 1
    finally:  # a failure must not leave fakes running
        for directory in (worker, main):
            if labctl.load(directory).get("components"):
                labctl.down(directory)

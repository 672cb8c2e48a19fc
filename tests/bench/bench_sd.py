# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Micro-benchmark (not a test): parse + compare + encode of a large DACL, full decode vs lazy; and ad_ace's CPU time
from 100 ACEs to the largest storable DACL (65,535 bytes, about 1,170 object ACEs), with the cost per ACE.

Run: python tests/bench/bench_sd.py [--repeat N]. Prints medians and full/lazy ratios measured in
this one run; there is no pass/fail threshold, the machine is shared and noisy.
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "ansible_collections.mdi.action_accounts.plugins.module_utils._sd"


def _load_modules():
    """Import the package, through a temporary collection tree when the repo is not on an ansible_collections path."""
    try:
        importlib.import_module(PACKAGE)
    except ImportError:
        root = Path(tempfile.mkdtemp(prefix="bench-sd-"))
        (root / "ansible_collections" / "mdi").mkdir(parents=True)
        (root / "ansible_collections" / "mdi" / "action_accounts").symlink_to(REPO)
        sys.path.insert(0, str(root))
    mods = {name: importlib.import_module(f"{PACKAGE}.{name}") for name in ("ace", "acl", "descriptor", "presets")}
    mods["plan"] = importlib.import_module(PACKAGE.replace("._sd", "._ace") + ".plan")
    return mods


def build_descriptor(mods, count: int, with_mdi: bool) -> tuple[bytes, list]:
    """A DACL-only descriptor of ``count`` ACEs (the 4 MDI ACEs included or not) within the 65,535-byte limit."""
    ace_cls = mods["ace"].Ace
    mdi = mods["presets"].mdi_action_account_aces("S-1-5-21-1111-2222-3333-1102")
    filler = []
    for number in range(count - 4):
        if number % 4 == 0:  # a typical 56-byte object ACE for a domain principal
            filler.append(ace_cls(0x05, 0x12, 0x10, f"S-1-5-21-1111-2222-3333-{5000 + number}", "bf967a0a-0de6-11d0-a285-00aa003049e2"))
        else:  # 24-byte ACEs for builtin principals keep 2,000 ACEs under the size limit
            filler.append(ace_cls(0x00, 0x12, 0x20094, f"S-1-5-32-{1000 + number}"))
    aces = filler[:10] + (mdi if with_mdi else []) + filler[10:]
    sd = mods["descriptor"].SecurityDescriptor(dacl=mods["acl"].Acl(aces), control=0x8404)
    return sd.encode(), mdi


def full_decode(mods, raw: bytes, wanted: list) -> bytes:
    """What a decode-everything library does: every ACE to an object, compare objects, encode every ACE."""
    sd = mods["descriptor"].SecurityDescriptor.parse(raw)
    aces = list(sd.dacl)  # decode all
    present = set(aces)
    for ace in wanted:
        if ace not in present:
            aces.insert(sum(1 for a in aces if not a.is_inherited), ace)
    return raw[:20] + mods["acl"].Acl(aces).encode()  # re-encodes every ACE; the synthetic descriptor holds only a DACL


def lazy(mods, raw: bytes, wanted: list) -> bytes:
    """This package: ACE boundaries only, byte comparison, unchanged bytes reused."""
    sd = mods["descriptor"].SecurityDescriptor.parse(raw)
    for ace in wanted:
        sd.dacl.ensure(ace)
    return sd.encode()


def measure(function, repeat: int, clock=time.perf_counter) -> float:
    """The median of ``repeat`` runs, by ``clock`` (wall time by default; time.process_time for CPU time)."""
    timings = []
    for _round in range(repeat):
        start = clock()
        function()
        timings.append(clock() - start)
    return statistics.median(timings)


def object_aces_descriptor(mods, count: int) -> bytes:
    """A DACL of ``count`` typical 56-byte object ACEs of domain principals; 1,160 and the 4 MDI ACEs fill it to the limit."""
    ace_cls = mods["ace"].Ace
    aces = [ace_cls(0x05, 0x02, 0x30, f"S-1-5-21-1111-2222-3333-{5000 + n}", "bf967a0a-0de6-11d0-a285-00aa003049e2")
            for n in range(count)]
    return mods["descriptor"].SecurityDescriptor(dacl=mods["acl"].Acl(aces), control=0x8404).encode()


def ad_ace_cpu(mods, raw: bytes, wanted: list) -> bytes:
    """ad_ace's own CPU work on a DACL it read: parse, plan the MDI ACEs for one principal, encode."""
    sd = mods["descriptor"].SecurityDescriptor.parse(raw)
    intent = mods["plan"].Intent("S-1-5-21-1111-2222-3333-1102", tuple(wanted), "present")
    sd.dacl = mods["plan"].apply(intent, sd.dacl).acl
    return sd.encode()


def large_dacl(mods, repeat: int) -> None:
    """CPU time of read + plan + encode from 100 ACEs to the largest storable DACL, and the cost per ACE."""
    wanted = mods["presets"].mdi_action_account_aces("S-1-5-21-1111-2222-3333-1102")
    print(f"\n{'ACEs':>5} {'bytes':>6} {'CPU ms':>8} {'us/ACE':>7}   ad_ace's parse + plan + encode (process time, median)")
    for count in (100, 300, 600, 900, 1160):
        raw = object_aces_descriptor(mods, count)
        seconds = measure(lambda: ad_ace_cpu(mods, raw, wanted), repeat, time.process_time)  # pylint: disable=cell-var-from-loop
        print(f"{count:>5} {len(raw):>6} {seconds * 1000:>8.2f} {seconds * 1e6 / count:>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    mods = _load_modules()
    print(f"{'ACEs':>5} {'case':<8} {'bytes':>6} {'full ms':>8} {'lazy ms':>8} {'full/lazy':>9}")
    for count in (1000, 2000):
        for case, with_mdi in (("no-op", True), ("add 4", False)):
            raw, wanted = build_descriptor(mods, count, with_mdi)
            full_entries = mods["acl"].Acl.parse(full_decode(mods, raw, wanted), 20).raw_entries
            lazy_entries = mods["acl"].Acl.parse(lazy(mods, raw, wanted), 20).raw_entries
            if sorted(full_entries) != sorted(lazy_entries):  # same ACEs; positions may differ when adding
                raise SystemExit("full and lazy paths disagree")
            full = measure(lambda: full_decode(mods, raw, wanted), args.repeat)  # pylint: disable=cell-var-from-loop
            fast = measure(lambda: lazy(mods, raw, wanted), args.repeat)  # pylint: disable=cell-var-from-loop
            print(f"{count:>5} {case:<8} {len(raw):>6} {full * 1000:>8.2f} {fast * 1000:>8.2f} {full / fast:>8.1f}x")
    large_dacl(mods, args.repeat)


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
"""Check mode is exact (issue 13): for random subsets of the lab broken behind the collection's back, `--check`
predicts exactly the (task, host) pairs the real run then changes, and changes nothing itself.

The subsets come from a seeded generator (MDI_CHECK_MODE_SEED, default below; each failure names its seed and subset),
drawn from every breaker of behind_the_back.py that site.yml repairs. Left out: a GPO defining the right (the
collection refuses it and leaves it: site fails by design) and the sensor generation (site then switches to
LocalSystem, a different end state that test_sensor_generations.py covers)."""
from __future__ import annotations

import os
import random

import pytest

import behind_the_back
import snapshot  # tests/lab, put on sys.path by behind_the_back
from conftest import gmsa_sid  # pylint: disable=wrong-import-order
from test_faults_mid_run import SITE, end_state

SEED = int(os.environ.get("MDI_CHECK_MODE_SEED", "1303"))
SUBSETS = 5
BREAKERS = {
    "ace": behind_the_back.break_ace,
    "group ace": behind_the_back.break_group_ace,
    "retrieval": behind_the_back.break_retrieval,
    "right dc1": behind_the_back.break_right,
    "right dc2": behind_the_back.break_right_dc2,
    "right dc3": behind_the_back.break_right_dc3,
    "registration": behind_the_back.break_registration,
    "account": behind_the_back.break_account,
}
# Check mode plans steps 2 and 3 for an account step 1 would create as one task each (the SID is not known yet); the
# real run's tasks of those roles are the same change.
PLANNED_AS = {
    "Step 2 in check mode, for an account step 1 would create - Log on as a service would be granted": "mdi.action_accounts.logon_right",
    "Step 3 in check mode, for an account step 1 would create - the MDI permissions would be delegated": "mdi.action_accounts.delegation",
}


def _subsets(seed: int, count: int) -> list[tuple[str, ...]]:
    """`count` distinct non-empty subsets of the breakers, the first of them all at once."""
    draw = random.Random(seed)
    names = sorted(BREAKERS)
    found = [tuple(names)]
    while len(found) < count:
        subset = tuple(sorted(draw.sample(names, draw.randint(1, len(names) - 1))))
        if subset not in found:
            found.append(subset)
    return found


def _changed(result) -> set[tuple[str, str]]:
    """(task, host) for every task a run reports changed. Check mode's plans for an account that does not exist yet
    stand for the role whose tasks the real run changes (named "role : task"): those count by role."""
    pairs = set()
    for play in result.data.get("plays", []):
        for task in play["tasks"]:
            name = task["task"]["name"]
            role = name.partition(" : ")[0]
            key = PLANNED_AS.get(name) or (role if role in PLANNED_AS.values() else name)
            pairs |= {(key, host) for host, outcome in task["hosts"].items() if outcome.get("changed")}
    return pairs


@pytest.mark.parametrize("subset", _subsets(SEED, SUBSETS), ids=lambda subset: "+".join(subset).replace(" ", "_"))
def test_check_mode_predicts_exactly_what_the_real_run_changes(subset, lab, playbook, directory, cloud):
    assert playbook(SITE).rc == 0
    clean = end_state(lab, directory)
    sid = gmsa_sid(directory, lab["samba"]["base_dn"])
    for name in (name for name in BREAKERS if name in subset):  # in the table's order: the account goes last
        BREAKERS[name](lab, directory, sid, cloud)
    broken = snapshot.take(lab)
    where = f"seed {SEED}, subset {subset}"

    checked = playbook(SITE, extra_args=["--check", "--diff"])
    assert checked.rc == 0, f"{where}: {checked.stderr[-3000:]}"
    assert snapshot.differences(broken, snapshot.take(lab)) == [], f"{where}: check mode changed the lab"

    real = playbook(SITE)
    assert real.rc == 0, f"{where}: {real.stderr[-3000:]}"
    predicted, done = _changed(checked), _changed(real)
    assert predicted == done, f"{where}: predicted only {sorted(predicted - done)}, changed unpredicted {sorted(done - predicted)}"
    assert done, f"{where}: the breakage was not repaired by anything"
    if "account" not in subset:  # a deleted account leaves ACEs and rights naming its old SID: not the collection's
        assert snapshot.differences(clean, end_state(lab, directory)) == [], f"{where}: the real run did not restore the clean state"
    assert playbook(SITE).changed == 0, f"{where}: a rerun after the repair still changes something"

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gmsa/account.py's option checks: what the account cannot hold is refused, naming the option and the fix,
before the directory is asked anything (the bad-input catalogue's gmsa_account rows, without a lab)."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa import account, task
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import FakeClient, run_backend


@pytest.mark.parametrize("name, expected", [("mdiAction", ("mdiAction", "mdiAction$")), ("mdiAction$", ("mdiAction", "mdiAction$")),
                                            (" mdiAction$ ", ("mdiAction", "mdiAction$"))])
def test_one_trailing_dollar_is_the_account_s_own(name, expected):
    assert account.account_names(name) == expected


@pytest.mark.parametrize("name", ["name$$", "name$$$"])
def test_more_than_one_trailing_dollar_is_refused(name):
    with pytest.raises(MdiError, match=r"ends in more than one \$: .*give 'name' or 'name\$'"):
        account.account_names(name)


@pytest.mark.parametrize("name", ["", "$", "$$", None])
def test_an_empty_name_is_refused(name):
    with pytest.raises(MdiError, match="name is empty"):
        account.account_names(name)


@pytest.mark.parametrize("days", [1, 30, account.MAX_PASSWORD_INTERVAL, None])
def test_password_intervals_a_dc_can_roll_over_are_taken(days):
    account.check_password_interval(days)


@pytest.mark.parametrize("days", [-5, 0, account.MAX_PASSWORD_INTERVAL + 1, 2 ** 31 - 1])
def test_password_intervals_outside_1_to_the_rollover_limit_are_refused(days):
    with pytest.raises(MdiError, match=rf"password_interval_days {days} is out of range: .*from 1 to 21,350,397"):
        account.check_password_interval(days)


def test_the_interval_limit_is_the_largest_whose_rollover_period_fits_64_bits():
    # Samba's gkdi_rollover_interval: days * 24 // 10 key cycles of 10 hours, in 100 ns units, as an unsigned 64-bit value.
    def period(days):
        return days * 24 // 10 * 360_000_000_000
    assert period(account.MAX_PASSWORD_INTERVAL) < 2 ** 64 and account.MAX_PASSWORD_INTERVAL < 2 ** 31  # an AD Integer


@pytest.mark.parametrize("host", ["mdiAction.corp.example.com", "mdiaction", "a-1.b2.example", "x" * 63 + ".example.com",
                                  ".".join(["abcdefghi"] * 25) + ".abc", None, ""])
def test_dns_host_names_are_taken(host):
    account.check_dns_hostname(host)


@pytest.mark.parametrize("host", ["not a host!", "-lead.example.com", "trail-.example.com", "under_score.example.com", "a..b",
                                  "dot.at.end.", "x" * 64 + ".example.com", ".".join(["abcdefghi"] * 25) + ".abcd"])
def test_what_is_no_dns_host_name_is_refused(host):
    with pytest.raises(MdiError, match=r"dns_hostname .* is not a DNS host name: give labels of letters, digits and hyphens"):
        account.check_dns_hostname(host)


@pytest.mark.parametrize("params, words", [
    ({"password_interval_days": -5}, "password_interval_days -5 is out of range"),
    ({"dns_hostname": "not a host!"}, "dns_hostname 'not a host!' is not a DNS host name"),
    ({"name": "mdiBad$$"}, "'mdiBad$$' ends in more than one $"),
])
def test_the_module_refuses_them_before_reading_or_writing(params, words):
    directory = FakeClient()
    searches = list(directory.searches)
    result = run_backend(task, directory, {"name": "mdiBadInput", **params})
    assert result["failed"] and words in result["msg"] and result["msg"].startswith("Failed to ensure gMSA")
    assert directory.searches == searches and directory.writes == []

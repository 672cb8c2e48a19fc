# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the modules that edit one settings file of a GPO.

task.py runs such an edit (find the GPO, _gpo/file_edit.py's transaction, result and diff); audit_policy.py
(audit.csv) and security_template.py (GptTmpl.inf's [Registry Values]) say what the file should hold, with the
codecs of _gpo_settings.
"""

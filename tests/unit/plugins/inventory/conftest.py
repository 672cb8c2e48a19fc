# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Let Ansible's plugin loader find this collection (ansible-test units does this itself; plain pytest does not)."""
from __future__ import annotations

import sys
from pathlib import Path

from ansible.utils.collection_loader import AnsibleCollectionConfig
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

if AnsibleCollectionConfig.collection_finder is None:
    # Modules imported as a plain namespace package before the finder would hide the collection from it.
    for name in [n for n in sys.modules if n == "ansible_collections" or n.startswith("ansible_collections.")]:
        del sys.modules[name]
    ROOT = next(p for p in Path(__file__).absolute().parents if p.name == "ansible_collections").parent
    _AnsibleCollectionFinder(paths=[str(ROOT)], scan_sys_paths=False)._install()  # pylint: disable=protected-access

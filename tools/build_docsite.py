# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the collection's documentation site the way collections build theirs, into .build/docsite/.

`antsibull-docs sphinx-init --use-current` writes the site's skeleton (conf.py, build.sh, rst/index.rst), then its
build.sh renders every plugin and role page and the extra docs (docs/docsite/) with antsibull-docs and builds the
HTML with Sphinx, warnings as errors (-W --keep-going). The result: .build/docsite/build/html/index.html.

Two additions to the generated conf.py, both written here:
- tools/docsite_guides.py, with which the guides' extra docs show the Markdown guides in docs/ (myst-parser).
- Ansible's own documentation as the only intersphinx inventory, read from a small file written here that holds the
  labels antsibull-docs' pages refer to (their URLs on docs.ansible.com): the build needs no network, and a page
  that refers to a label missing from it fails the build (an undefined label), so the list cannot go stale unseen.

Every run starts from an empty .build/docsite, so Sphinx reports the warnings of every page, not only of the pages
that changed. Run it with the venv's Python (make docs); the collection must be on .build/collections
(make collection-link).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLLECTION = "mdi.action_accounts"
SITE = ROOT / ".build" / "docsite"
VENV_BIN = Path(sys.executable).parent
ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"
# label -> (page and anchor under ANSIBLE_DOCS, title): the labels of Ansible's docs that antsibull-docs' pages use.
ANSIBLE_LABELS = {
    "action_plugins": ("plugins/action.html#action-plugins", "Action plugins"),
    "ansible_configuration_settings": ("reference_appendices/config.html#ansible-configuration-settings",
                                       "Ansible Configuration Settings"),
    "common_return_values": ("reference_appendices/common_return_values.html#common-return-values", "Return Values"),
}
CONF_ADDITIONS = f"""
# ---- added by tools/build_docsite.py
import sys  # noqa: E402

sys.path.insert(0, {str(ROOT / 'tools')!r})
extensions.append('docsite_guides')  # the Markdown guides of docs/ as extra docs (myst-parser)
myst_heading_anchors = 3  # the guides link to each other's sections by GitHub's heading anchors
intersphinx_mapping = {{'ansible_devel': ({ANSIBLE_DOCS!r}, '../ansible_devel.inv')}}
"""


def inventory() -> bytes:
    """A Sphinx (version 2) inventory of ANSIBLE_LABELS."""
    header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n" \
             "# The remainder of this file is compressed using zlib.\n"
    lines = "".join(f"{label} std:label -1 {page} {title}\n" for label, (page, title) in sorted(ANSIBLE_LABELS.items()))
    return header.encode() + zlib.compress(lines.encode())


def tool_env() -> dict:
    """antsibull-docs finds the collection on .build/collections and keeps its log under .build/home (Makefile)."""
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(ROOT / ".build" / "collections"), HOME=str(ROOT / ".build" / "home"),
                PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def main() -> int:
    shutil.rmtree(SITE, ignore_errors=True)
    SITE.mkdir(parents=True, mode=0o700)  # antsibull-docs wants its destination writable by its owner only
    (ROOT / ".build" / "home").mkdir(parents=True, exist_ok=True)
    env = tool_env()
    title = f"{COLLECTION} documentation"
    subprocess.run([str(VENV_BIN / "antsibull-docs"), "sphinx-init", "--use-current", "--fail-on-error", "--dest-dir", str(SITE),
                    "--project", COLLECTION, "--copyright", f"{COLLECTION} contributors", "--title", title,
                    "--extra-conf", f"html_title={title}", COLLECTION], env=env, check=True, stdout=subprocess.DEVNULL)
    with (SITE / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CONF_ADDITIONS)
    (SITE / "ansible_devel.inv").write_bytes(inventory())
    result = subprocess.run([str(SITE / "build.sh")], env=env, check=False)
    if result.returncode:
        print(f"build_docsite: the site did not build (exit {result.returncode}); see the warnings above", file=sys.stderr)
        return 1
    print(f"build_docsite: {SITE / 'build' / 'html' / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sphinx extension of the documentation site: the guides' one source is their Markdown in docs/.

antsibull-docs copies extra docs (docs/docsite/rst/*.rst) into the site as they are, and its linter checks them with
docutils alone, so an extra doc cannot include a Markdown file itself. Each guide's extra doc therefore holds its
label and a comment line `.. guide: docs/<guide>.md`; when Sphinx reads the page, this extension turns that line
into an include of the Markdown file, which myst-parser parses.

The guides' links are written for GitHub, relative to docs/: to another guide (with a heading anchor), or to the
source of a plugin's or role's documentation. On the site each becomes a link to the page that shows that file (a
guide's page, the module, plugin or role page antsibull-docs rendered), and myst-parser checks it (the page and the
anchor exist) like any other link. tools/build_docsite.py adds the extension to the conf.py that
`antsibull-docs sphinx-init` writes.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

ROOT = Path(__file__).resolve().parent.parent
GUIDE_LINE = re.compile(r"^\.\. guide: (\S+\.md)[ \t]*$", re.M)
PAGES = "collections/mdi/action_accounts"
# A file of the checkout (relative to it) -> the site's page (docname) that shows it.
PAGE_OF_FILE = (
    (re.compile(r"docs/([\w-]+)\.md"), PAGES + "/docsite/{0}"),
    (re.compile(r"plugins/modules/(\w+)\.py"), PAGES + "/{0}_module"),
    (re.compile(r"plugins/(\w+)/(\w+)\.py"), PAGES + "/{1}_{0}"),
    (re.compile(r"roles/(\w+)/meta/argument_specs\.ya?ml"), PAGES + "/{0}_role"),
)


def guide_include(match: re.Match, page_dir: Path) -> str:
    guide = ROOT / match.group(1)
    if not guide.is_file():
        raise FileNotFoundError(f"{match.group(0)!r}: {guide} does not exist")
    # Sphinx reads an include path that starts with / as relative to the source folder: give it relative to the page.
    return f".. include:: {os.path.relpath(guide, page_dir)}\n   :parser: myst_parser.sphinx_\n"


def include_guides(app, docname: str, source: list[str]) -> None:
    page_dir = Path(app.env.doc2path(docname)).parent
    source[0] = GUIDE_LINE.sub(lambda match: guide_include(match, page_dir), source[0])


def page_of(target: str, source: str) -> tuple[str, str] | None:
    """The docname and anchor that a guide's link to a file of the checkout stands for, or None."""
    path, _hash, anchor = target.partition("#")
    if not source.endswith(".md") or not path or re.match(r"[a-z]+:", path):
        return None
    relative = os.path.relpath((Path(source).parent / path).resolve(), ROOT)
    for pattern, page in PAGE_OF_FILE:
        match = pattern.fullmatch(relative)
        if match:
            return page.format(*match.groups()), anchor
    return None


class GuideLinks(SphinxPostTransform):
    """A guide's link to a file of the checkout -> myst-parser's link to the page that shows it (then resolved by it)."""

    default_priority = 5  # before myst-parser's MystReferenceResolver (10)

    def run(self, **kwargs) -> None:
        for node in self.document.findall(addnodes.pending_xref):
            if node.get("reftype") != "myst" or node.get("refdomain"):
                continue
            page = page_of(node["reftarget"], node.source or "")
            if page and page[0] in self.env.all_docs:
                node["refdomain"], node["reftarget"], node["reftargetid"] = "doc", page[0], page[1] or None


def setup(app):
    app.setup_extension("myst_parser")
    app.connect("source-read", include_guides)
    app.add_post_transform(GuideLinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

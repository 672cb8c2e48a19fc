# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documentation site (tools/build_docsite.py: antsibull-docs and Sphinx) as a browser shows it, and the links of
the Markdown documents.

The ad_ace page is opened in headless Chromium: its screenshot is a real, non-blank PNG of the window's size, and
its DOM has the page's title and an options table that lists every option ansible-doc documents. The site is built
first when it is missing or older than its sources (`make docs` builds it too)."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from .conftest import REPO, ansible_doc

SITE = REPO / ".build" / "docsite"
PAGES = SITE / "build" / "html" / "collections" / "mdi" / "action_accounts"
AD_ACE_PAGE = PAGES / "ad_ace_module.html"
# What the site is rendered from: a change to any of these makes the built site stale.
SOURCES = ("plugins", "roles", "docs", "galaxy.yml", "tools/build_docsite.py", "tools/docsite_guides.py")
WINDOW = (1280, 2000)
# Headless flags that work on this machine (no sandbox as root, nothing fetched from the network).
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


def _newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = REPO / name
        for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
            if item.is_file() and "__pycache__" not in item.parts:
                newest = max(newest, item.stat().st_mtime)
    return newest


@pytest.fixture(scope="module")
def ad_ace_page() -> Path:
    if not AD_ACE_PAGE.is_file() or AD_ACE_PAGE.stat().st_mtime < _newest_source():
        proc = subprocess.run([sys.executable, str(REPO / "tools" / "build_docsite.py")], capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 0, f"the documentation site did not build:\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
    return AD_ACE_PAGE


def chromium(home: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with a profile and a home directory of its own (it writes ~/.config and ~/.cache)."""
    binary = shutil.which("chromium")
    if not binary:
        pytest.fail("chromium is not installed: run `make system-packages` (tests/lab/install-system-packages.sh)")
    proc = subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={home / 'profile'}", *args], capture_output=True,
                          text=True, env=dict(os.environ, HOME=str(home)), timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


# ---------------------------------------------------------------- the screenshot


def png_rows(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the (filtered) pixel rows of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    chunks, offset = {}, 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunks[kind] = chunks.get(kind, b"") + data[offset + 8:offset + 8 + length]
        offset += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and color in (2, 6), f"unexpected PNG pixel format: depth {depth}, color type {color}"
    stride = 1 + width * (3 if color == 2 else 4)
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert len(pixels) == stride * height, "truncated PNG"
    return width, height, [pixels[row * stride:(row + 1) * stride] for row in range(height)]


def assert_not_blank(rows: list[bytes]) -> None:
    """A page of text, tables and a side bar has many different rows; a blank or one-colour image has one or two."""
    distinct = len(set(rows))
    assert distinct >= len(rows) // 10, f"the screenshot looks blank: {distinct} different rows of {len(rows)}"


def test_ad_ace_page_screenshot_is_a_real_page(ad_ace_page, tmp_path):
    shot = tmp_path / "ad_ace.png"
    chromium(tmp_path, f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}", ad_ace_page.as_uri())
    width, height, rows = png_rows(shot.read_bytes())
    assert (width, height) == WINDOW
    assert_not_blank(rows)


def test_a_blank_screenshot_is_seen_as_blank(tmp_path):
    """The check above fails on a page that shows nothing."""
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>\n", encoding="utf-8")
    shot = tmp_path / "blank.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=640,480", blank.as_uri())
    width, height, rows = png_rows(shot.read_bytes())
    assert (width, height) == (640, 480)
    with pytest.raises(AssertionError, match="looks blank"):
        assert_not_blank(rows)


# ---------------------------------------------------------------- the DOM


def option_paths(options: dict, prefix: str = "") -> set[str]:
    """Every option and sub-option as antsibull-docs names its anchor: parent/child."""
    paths = set()
    for name, spec in (options or {}).items():
        paths.add(prefix + name)
        paths |= option_paths(spec.get("suboptions"), f"{prefix}{name}/")
    return paths


def options_table(dom: str) -> str:
    """The first options table (antsibull-docs' class ansible-option-table) whose rows are parameters."""
    for table in re.findall(r"<table[^>]*\bansible-option-table\b.*?</table>", dom, flags=re.S):
        if 'id="parameter-' in table:
            return table
    raise AssertionError("the page has no parameters table")


def test_ad_ace_page_lists_every_option_and_has_its_title(ad_ace_page, tmp_path, ansible_env):
    doc = ansible_doc(ansible_env, "module", "ad_ace")["doc"]
    dom = chromium(tmp_path, "--dump-dom", ad_ace_page.as_uri()).stdout
    title = re.search(r"<title>(.*?)</title>", dom, flags=re.S).group(1)
    assert title.startswith(f"mdi.action_accounts.ad_ace module – {doc['short_description']}"), title
    assert title.endswith("mdi.action_accounts documentation"), title
    listed = set(re.findall(r'class="ansibleOptionAnchor" id="parameter-([^"]+)"', options_table(dom)))
    expected = option_paths(doc["options"])
    assert not expected - listed, f"options missing from the page: {sorted(expected - listed)}"
    assert not listed - expected, f"options on the page that ansible-doc does not document: {sorted(listed - expected)}"


# ---------------------------------------------------------------- the guides on the site


@pytest.fixture(scope="module")
def guides():
    spec = importlib.util.spec_from_file_location("docsite_guides", REPO / "tools" / "docsite_guides.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("target, page", [
    ("troubleshooting.md#the-remediation-row-is-red", ("collections/mdi/action_accounts/docsite/troubleshooting",
                                                       "the-remediation-row-is-red")),
    ("../plugins/modules/ad_ace.py", ("collections/mdi/action_accounts/ad_ace_module", "")),
    ("../plugins/inventory/mdi_sensors.py", ("collections/mdi/action_accounts/mdi_sensors_inventory", "")),
    ("../roles/gmsa/meta/argument_specs.yml", ("collections/mdi/action_accounts/gmsa_role", "")),
    ("../tests/lab/README.md", None),
    ("https://example.com/x.md", None),
])
def test_a_guides_link_to_a_file_stands_for_the_page_that_shows_it(guides, target, page):
    assert guides.page_of(target, str(REPO / "docs" / "getting-started.md")) == page


def test_a_guide_page_naming_a_missing_markdown_file_fails(guides, tmp_path):
    app = SimpleNamespace(env=SimpleNamespace(doc2path=lambda docname: tmp_path / f"{docname}.rst"))  # what it uses of Sphinx
    source = ["..\n\n.. guide: docs/no-such-guide.md\n"]
    with pytest.raises(FileNotFoundError, match="no-such-guide.md"):
        guides.include_guides(app, "docsite/x", source)
    source = ["..\n\n.. guide: docs/awx.md\n"]
    guides.include_guides(app, "docsite/x", source)
    assert f".. include:: {os.path.relpath(REPO / 'docs' / 'awx.md', tmp_path / 'docsite')}\n" in source[0]
    assert ":parser: myst_parser.sphinx_" in source[0]


def test_every_guide_page_shows_a_markdown_file_that_exists(guides):
    pages = sorted((REPO / "docs" / "docsite" / "rst").glob("*.rst"))
    assert pages
    for page in pages:
        named = guides.GUIDE_LINE.findall(page.read_text(encoding="utf-8"))
        assert len(named) == 1, f"{page.name}: one `.. guide: <file>.md` line expected, found {named}"
        assert (REPO / named[0]).is_file(), f"{page.name}: {named[0]} does not exist"


# ---------------------------------------------------------------- links of the Markdown documents


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats."""
    seen: dict[str, int] = {}
    anchors = set()
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if fenced or not re.match(r"#{1,6} ", line):
            continue
        slug = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def test_links_of_the_markdown_documents_resolve():
    """Every relative link in README.md and docs/ points to a file, and to a heading there."""
    problems = []
    for page in [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            path, _hash, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if not resolved.exists():
                problems.append(f"{page.relative_to(REPO)}: {target}: no such file")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
                problems.append(f"{page.relative_to(REPO)}: {target}: no such heading")
    assert not problems, "\n".join(problems)

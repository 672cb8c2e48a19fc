# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows-side script, checked as far as a Linux machine allows: plugins/module_utils/_winrm/user_rights.ps1.

- Its C#: the text the script hands to ``Add-Type -TypeDefinition``, taken from what the host really receives
  (scripts.build_call's stdin), builds with Mono's C# compiler as a library. Held to what Windows PowerShell 5.1's
  Add-Type accepts: C# 5 (its CodeDom compiler; PowerShell 7's Roslyn takes that too) and warnings as errors (Add-Type
  without -IgnoreWarnings fails on a compiler warning). mcs comes from `make system-packages` (Debian mono-mcs).
- Its PowerShell: parses with the tree-sitter PowerShell grammar (PyPI tree-sitter-powershell) without ERROR or
  MISSING nodes, except where that grammar is wrong about valid PowerShell (GRAMMAR_GAPS, each named and tolerated
  exactly once, at its statement).

Each check is also shown to fail on a broken copy of the script.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .conftest import REPO

SCRIPT = REPO / "plugins" / "module_utils" / "_winrm" / "user_rights.ps1"
REQUEST = '{"right": "SeServiceLogonRight", "action": "query", "principals": [], "check_mode": true, "refuse_gpo_conflict": false}'
# PowerShell gives a here-string's text without the line break after @' and the one before '@ (which starts its line).
ADD_TYPE = re.compile(r"^[ \t]*Add-Type -TypeDefinition @'\n(?P<source>.*?)\n'@", re.MULTILINE | re.DOTALL)
# Windows PowerShell 5.1: C# 5, System.dll referenced, warnings are errors.
MCS_ARGS = ("-target:library", "-langversion:5", "-warnaserror+", "-r:System.dll", "-nologo")

# Valid PowerShell the tree-sitter grammar gets wrong: construct -> (the statement of user_rights.ps1 it makes an
# ERROR node of, the construct alone, the statement with the construct in parentheses). tree-sitter-powershell 0.26.4
# has no member access after a method call inside a command argument: `Write-Output $x.GetType().Name` is an ERROR to
# it, while PowerShell parses an argument that starts with a variable as an expression ($x's type name here).
GRAMMAR_GAPS = {
    "member access after a method call in a command argument ($x.GetType().Name)": (
        "Exit-Error $cause.Message $cause.GetType().Name",
        "Write-Output $x.GetType().Name",
        "Exit-Error $cause.Message ($cause.GetType().Name)",
    ),
}
TOLERATED = {statement for statement, _sample, _wrapped in GRAMMAR_GAPS.values()}


def script_text() -> str:
    return SCRIPT.read_text(encoding="ascii")


def script_as_sent(collections_root, text: str) -> str:
    """What the host runs from stdin: the script less its marker and request lines (scripts.build_call)."""
    del collections_root  # the fixture makes ansible_collections.mdi.action_accounts importable
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.scripts import build_call
    return build_call(text, REQUEST).stdin


def csharp_of(text: str) -> str:
    found = ADD_TYPE.findall(text)
    assert len(found) == 1, f"expected one Add-Type -TypeDefinition @'...'@ (a verbatim here-string) in {SCRIPT.name}, found {len(found)}"
    return found[0]


# ---------------------------------------------------------------- C# with Mono's compiler


@pytest.fixture(scope="module", name="mcs")
def fixture_mcs() -> str:
    path = shutil.which("mcs")
    if path is None:
        pytest.fail("mcs (Mono's C# compiler, Debian package mono-mcs) is not installed: run `make system-packages`")
    return path


def compile_csharp(mcs: str, source: str, folder) -> subprocess.CompletedProcess:
    (folder / "Lsa.cs").write_text(source, encoding="utf-8")
    return subprocess.run([mcs, *MCS_ARGS, "-out:" + str(folder / "Lsa.dll"), str(folder / "Lsa.cs")], cwd=folder, capture_output=True,
                          text=True, check=False)


def test_the_csharp_is_passed_to_add_type_verbatim():
    """A single-quoted here-string: PowerShell expands nothing in it, so the text compiled here is what Add-Type gets."""
    text = script_text()
    code = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert sum("Add-Type" in line for line in code) == 1
    assert "-IgnoreWarnings" not in text  # else compiler warnings would not fail Add-Type, and MCS_ARGS must change
    assert "namespace MdiActionAccounts" in csharp_of(text)


def test_the_csharp_builds_as_it_is(mcs, collections_root, tmp_path):
    sent = script_as_sent(collections_root, script_text())
    source = csharp_of(sent)
    assert source == csharp_of(script_text())  # the split into command and stdin leaves the C# alone
    proc = compile_csharp(mcs, source, tmp_path)
    assert proc.returncode == 0, f"mcs {' '.join(MCS_ARGS)} failed on the C# of {SCRIPT.name}:\n{proc.stdout}{proc.stderr}"
    assert (tmp_path / "Lsa.dll").stat().st_size > 0


BROKEN_CSHARP = {
    "missing semicolon": ("return bytes;", "return bytes", "error CS1525"),
    "undefined identifier": ("LsaFreeMemory(buffer);", "LsaFreeMemorry(buffer);", "error CS0103"),
    "C# 6 string interpolation (Windows PowerShell 5.1 compiles C# 5)": (
        "return new string[0];", 'return new string[] { $"{count}" };', "error CS1644"),
    "a warning (unused variable), which Add-Type treats as an error": ("uint count;", "uint count; int unused;", "error CS0168"),
}


@pytest.mark.parametrize("what", list(BROKEN_CSHARP))
def test_a_broken_copy_of_the_csharp_fails_to_build(mcs, tmp_path, what):
    old, new, message = BROKEN_CSHARP[what]
    source = csharp_of(script_text())
    assert source.count(old) == 1, f"the break '{what}' no longer applies: update BROKEN_CSHARP"
    proc = compile_csharp(mcs, source.replace(old, new), tmp_path)
    assert proc.returncode != 0, f"mcs built a copy with a {what}"
    assert message in proc.stdout + proc.stderr


# ---------------------------------------------------------------- PowerShell with a tree-sitter grammar


@pytest.fixture(scope="module", name="parse")
def fixture_parse():
    try:
        import tree_sitter  # pylint: disable=import-outside-toplevel
        import tree_sitter_powershell  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        pytest.fail(f"{exc.name} is missing: it is pinned in requirements-dev.txt, run `make venv`")
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
    return lambda text: parser.parse(text.encode("utf-8"))


def problems(tree, text: str) -> list[tuple[str, int, str]]:
    """Every ERROR and MISSING node, outermost only: (kind, line, source text)."""
    found, data, stack = [], text.encode("utf-8"), [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            kind = f"MISSING {node.type}" if node.is_missing else "ERROR"
            found.append((kind, node.start_point.row + 1, data[node.start_byte:node.end_byte].decode("utf-8", "replace").strip()))
        elif node.has_error:
            stack.extend(node.children)
    return sorted(found, key=lambda item: item[1])


def untolerated(found: list) -> list:
    return [item for item in found if not (item[0] == "ERROR" and item[2] in TOLERATED)]


def test_the_powershell_parses(parse):
    text = script_text()
    found = problems(parse(text), text)
    listed = "; ".join(f"{kind} at line {line}: {code[:80]}" for kind, line, code in found)
    assert untolerated(found) == [], f"{SCRIPT.name} does not parse: {listed}"
    # Each tolerated statement is in the script once, and is an ERROR exactly once: tolerance, not a blanket pass.
    for construct, (statement, _sample, _wrapped) in GRAMMAR_GAPS.items():
        assert text.count(statement) == 1, f"{construct}: the statement '{statement}' is gone; drop it from GRAMMAR_GAPS"
        errors = [item for item in found if item[2] == statement]
        assert len(errors) == 1, f"{construct}: '{statement}' parses now; drop it from GRAMMAR_GAPS"
    assert len(found) == len(GRAMMAR_GAPS)


@pytest.mark.parametrize("construct", list(GRAMMAR_GAPS))
def test_each_tolerated_error_is_the_grammars_gap(parse, construct):
    """The construct alone is still rejected (else drop the tolerance), and the statement parses once that construct is
    put in parentheses: what the grammar misreads is that construct and nothing else in the statement."""
    statement, sample, wrapped = GRAMMAR_GAPS[construct]
    assert problems(parse(sample), sample) != [], f"the grammar now parses {sample!r}: drop '{construct}' from GRAMMAR_GAPS"
    assert problems(parse(wrapped), wrapped) == []
    assert wrapped.replace("(", "").replace(")", "") == statement.replace("(", "").replace(")", "")  # the same statement


BROKEN_POWERSHELL = {
    "unclosed brace": ("    exit $Code\n}\n", "    exit $Code\n\n"),
    "unclosed parenthesis": ("if ($setting.Count -eq 0) { return $null }", "if ($setting.Count -eq 0 { return $null }"),
    "unterminated here-string": ("'@\n}\n\n$names = @{}", "\n}\n\n$names = @{}"),
    "unclosed method call": ("finally { $lsa.Dispose() }", "finally { $lsa.Dispose( }"),
}


@pytest.mark.parametrize("what", list(BROKEN_POWERSHELL))
def test_a_broken_copy_of_the_powershell_is_caught(parse, what):
    old, new = BROKEN_POWERSHELL[what]
    text = script_text()
    assert text.count(old) == 1, f"the break '{what}' no longer applies: update BROKEN_POWERSHELL"
    broken = text.replace(old, new)
    assert untolerated(problems(parse(broken), broken)) != [], f"a copy with an {what} parsed"

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment for AWX / Automation Platform: ansible-builder makes a build context from
execution-environment.yml, and the collection's own EE metadata (meta/execution-environment.yml) hands its
Python and system requirements to any EE that includes the collection. No image is built (no container runtime
here); what is checked is everything ansible-builder decides before the build."""
from __future__ import annotations

import ast
import subprocess
import sys
import tarfile

import pytest
import yaml

from .conftest import COLLECTION, REPO, tool

# Third-party modules the plugins import -> the requirements.txt distribution that provides them.
PROVIDED_BY = {
    "ldap3": "ldap3",
    "msal": "msal",
    "requests": "requests",
    "urllib3": "requests",  # a dependency of requests
    "smbprotocol": "smbprotocol",
    "smbclient": "smbprotocol",
    "spnego": "pyspnego",
    "winrm": "pywinrm",
    "cryptography": "cryptography",
}
# Imported only inside try/except for an optional feature; the module documentation says what to install.
OPTIONAL = {"gssapi": "auth=kerberos (LDAP): the Python gssapi package, see the ldap_connection doc fragment"}


def requirement_names(path) -> list[str]:
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.append(line.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("!")[0].strip().lower())
    return names


def requirement_lines(path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    target = tmp_path_factory.mktemp("ee") / "context"
    proc = subprocess.run([tool("ansible-builder"), "create", "-f", "execution-environment.yml", "--context", str(target)],
                          cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"ansible-builder create failed:\n{proc.stdout}\n{proc.stderr}"
    return target


def test_definition_is_v3_with_the_collection_requirements():
    definition = yaml.safe_load((REPO / "execution-environment.yml").read_text(encoding="utf-8"))
    assert definition["version"] == 3
    assert definition["dependencies"]["python"] == "requirements.txt"
    assert definition["dependencies"]["system"] == "bindep.txt"
    assert definition["images"]["base_image"]["name"]


def test_build_context_holds_the_containerfile_and_requirements(context):
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    definition = yaml.safe_load((REPO / "execution-environment.yml").read_text(encoding="utf-8"))
    assert f'EE_BASE_IMAGE="{definition["images"]["base_image"]["name"]}"' in containerfile
    assert (context / "_build" / "requirements.txt").read_text(encoding="utf-8") == (REPO / "requirements.txt").read_text(encoding="utf-8")
    assert (context / "_build" / "bindep.txt").read_text(encoding="utf-8") == (REPO / "bindep.txt").read_text(encoding="utf-8")
    # The introspection step merges our files with the requirements of the collections in the image.
    assert "introspect --user-pip=requirements.txt --user-bindep=bindep.txt" in containerfile
    for script in ("assemble", "install-from-bindep", "introspect.py", "check_ansible"):
        assert (context / "_build" / "scripts" / script).is_file(), script


def test_ansible_core_in_the_image_is_one_the_collection_supports(context):
    runtime = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    minimum = runtime["requires_ansible"].lstrip(">=")
    assert f"ansible-core>={'.'.join(minimum.split('.')[:2])}" in containerfile, (minimum, containerfile[:600])


def test_image_check_imports_every_runtime_library(context):
    """The final RUN line imports the libraries, so a broken install fails the build, not the first job."""
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    line = next((x for x in containerfile.splitlines() if x.startswith("RUN python3 -c \"import ")), None)
    assert line, "the Containerfile has no import check of the collection's libraries"
    imported = {name.strip() for name in line.split("import ", 1)[1].rstrip('"').split(",")}
    assert {"ldap3", "winrm", "msal", "requests", "smbprotocol"} <= imported, imported


def _third_party_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "plugins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("ansible", "ansible_collections", "__future__"):
                    continue
                found.setdefault(top, set()).add(str(path.relative_to(REPO)))
    return found


def test_every_library_the_plugins_import_is_a_requirement():
    required = set(requirement_names(REPO / "requirements.txt"))
    problems = []
    for module, files in sorted(_third_party_imports().items()):
        if module in OPTIONAL:
            continue
        distribution = PROVIDED_BY.get(module)
        if distribution is None:
            problems.append(f"{module} (imported by {', '.join(sorted(files))}) is not known to this test: add it to PROVIDED_BY "
                            "and to requirements.txt, or to OPTIONAL with the reason")
        elif distribution not in required:
            problems.append(f"{module} needs {distribution} in requirements.txt (imported by {', '.join(sorted(files))})")
    assert not problems, "\n".join(problems)


def test_collection_metadata_hands_its_requirements_to_any_ee(collections_root):
    """An EE that lists this collection gets its requirements through meta/execution-environment.yml."""
    meta = yaml.safe_load((REPO / "meta" / "execution-environment.yml").read_text(encoding="utf-8"))
    assert meta["dependencies"] == {"python": "requirements.txt", "system": "bindep.txt"}
    proc = subprocess.run([tool("ansible-builder"), "introspect", str(collections_root)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    data = yaml.safe_load(proc.stdout.split("---", 1)[1])
    python = [entry.split("  # from collection")[0] for entry in data["python"]]
    system = [entry.split("  # from collection")[0] for entry in data["system"]]
    assert python == requirement_lines(REPO / "requirements.txt")
    assert system == requirement_lines(REPO / "bindep.txt")
    assert all(entry.endswith(f"# from collection {COLLECTION}") for entry in data["python"] + data["system"])


def test_the_built_collection_keeps_its_ee_metadata(tmp_path):
    """build_ignore in galaxy.yml must not drop what ansible-builder reads from the installed collection."""
    proc = subprocess.run([tool("ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path), str(REPO)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    [artifact] = tmp_path.glob("mdi-action_accounts-*.tar.gz")
    with tarfile.open(artifact) as archive:
        names = set(archive.getnames())
    for needed in ("meta/execution-environment.yml", "requirements.txt", "bindep.txt", "meta/runtime.yml"):
        assert needed in names, f"the artifact lacks {needed}"

# -*- coding: utf-8 -*-
"""No secret of the lab leaks: a full site + verify (with the remediation canary) + prerequisites (the Directory Service
account and one auditing item) + readiness (which asks Graph for health issues) + teardown run at -vvvv --diff with
ANSIBLE_DEBUG=1, once with the lab_json callback and once with the default one, and not one of the lab's secrets appears
in stdout, stderr, the JSON callback's document, the verify and readiness reports (report.md, report.html, and readiness's
report.json), or what the run added to the
lab's logs that the collection can influence (the fake cloud's log, request log and action log, each fake WinRM host's
log and command log, Samba's logs).

The secrets, read from the running lab: the Samba admin password, every lab user's password, the WinRM password, the Graph
apps' client secrets, both portal sessions' sccauth and XSRF token (cookie and header forms), the managed-identity header,
and every base64 body line of the lab PKI's private keys (ca.key, certs/*.key). Each is looked for as its exact value, URL
encoded (quote with safe="" and "/", quote_plus) and base64 encoded (standard and urlsafe, of its UTF-8 and UTF-16-LE
bytes, at each of the three alignments a value can have inside a longer base64 text, without padding). Values shorter than
MIN_LENGTH characters are not looked for (their forms would match by chance); none of the lab's secrets is that short.
Any JWT (an access token, whatever its value) and any "Bearer <token>" fails the test too. Each finding names the file and
line, and the files are kept in the test's tmp_path."""
from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from conftest import REPO  # pylint: disable=wrong-import-order
from test_readiness_playbook import _vars as readiness_vars
from test_readiness_playbook import fixture_clean  # noqa: F401  pylint: disable=unused-import  # the DSA and the GPO removed after

SITE = (REPO / "playbooks" / "site.yml").read_text()
VERIFY = (REPO / "playbooks" / "verify.yml").read_text()
TEARDOWN = (REPO / "playbooks" / "teardown.yml").read_text()
PREREQUISITES = (REPO / "playbooks" / "prerequisites.yml").read_text()
READINESS = (REPO / "playbooks" / "readiness.yml").read_text()
CANARY = "mdi-canary"
VERBOSE = ("-vvvv", "--diff")
MIN_LENGTH = 6
TOKENS = {"access token (JWT)": re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\."),
          "Authorization header value": re.compile(r"Bearer [A-Za-z0-9._~+/-]{8,}")}
DEBUG_LINE = re.compile(r"^ *\d+ \d+\.\d+: ", re.M)  # the prefix of Display.debug, shown only with ANSIBLE_DEBUG


# ---------------------------------------------------------------- the secrets and their forms
def _base64_forms(data: bytes) -> dict[str, str]:
    """The base64 text of data as it shows inside any longer base64 text: for each alignment (0, 1, 2 bytes before it), the
    characters that depend on data alone, in the standard and the urlsafe alphabet."""
    forms = {}
    for shift in range(3):
        encoded = base64.b64encode(bytes(shift) + data).decode()
        first = -(-8 * shift // 6)  # the first character whose six bits all come from data
        last = (8 * (shift + len(data))) // 6  # one past the last such character
        core = encoded[first:last]
        forms[f"base64 at offset {shift}"] = core
        forms[f"urlsafe base64 at offset {shift}"] = core.replace("+", "-").replace("/", "_")
    return forms


def forms_of(value: str) -> dict[str, str]:
    """Every form looked for: form name -> text."""
    forms = {"exact": value, "url-encoded": quote(value, safe=""), "url-encoded (safe /)": quote(value),
             "form-encoded": quote_plus(value, safe="")}
    for encoding in ("utf-8", "utf-16-le"):
        forms.update({f"{name} of {encoding}": text for name, text in _base64_forms(value.encode(encoding)).items()})
    return forms


def _key_lines(path: Path) -> list[str]:
    """The base64 body lines of a PEM private key."""
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("-----")]


def lab_secrets(lab: dict, cloud) -> dict[str, str]:
    """Secret name -> value, for every secret of the running lab."""
    samba = lab["samba"]
    values = {"samba admin_password": samba["admin_password"]}
    values.update({f"samba user {name} password": user["password"] for name, user in samba["users"].items()})
    values.update({f"winrm {name} password": host["password"] for name, host in lab["winrm"]["hosts"].items()})
    values.update(cloud.secrets())  # the apps' client secrets, both portal sessions, the managed-identity header
    for session in ("portal_session", "portal_session_non_admin"):
        values[f"{session} xsrf cookie"] = cloud.info[session]["xsrf_token"]
        values[f"{session} xsrf header"] = cloud.info[session]["xsrf_header"]
    lab_dir = Path(lab["lab_dir"])
    keys = [lab_dir / "ca.key", *sorted((lab_dir / "certs").glob("*.key"))]
    for key in keys:
        values.update({f"private key {key.name} line {n}": line for n, line in enumerate(_key_lines(key), 1)})
    return values


def needles(secrets: dict[str, str]) -> dict[str, str]:
    """Text looked for -> "secret (form)", for every secret at least MIN_LENGTH long."""
    found = {}
    for name, value in secrets.items():
        if len(value) < MIN_LENGTH:
            continue
        for form, text in forms_of(value).items():
            found.setdefault(text, f"{name} ({form})")
    return found


# ---------------------------------------------------------------- looking for them
def scan(files: dict[str, tuple[Path, int]], wanted: dict[str, str], workdir: Path) -> list[str]:
    """Every finding in files (label -> (path, lines to skip)): "label path:line: secret (form)", by grep -F (Aho-Corasick
    over all the forms at once) and the token patterns."""
    patterns = workdir / "needles.txt"
    patterns.write_text("".join(f"{text}\n" for text in wanted), encoding="utf-8")
    findings = []
    for label, (path, skip) in files.items():
        proc = subprocess.run(["grep", "-a", "-n", "-o", "-F", "-f", str(patterns), str(path)],
                              capture_output=True, text=True, errors="replace", check=False)
        assert proc.returncode in (0, 1), f"grep failed on {path}: {proc.stderr}"
        for hit in proc.stdout.splitlines():
            line, text = hit.split(":", 1)
            if int(line) > skip:
                findings.append(f"{label} {path}:{line}: {wanted.get(text, text)}")
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n")[skip:], skip + 1):
            findings += [f"{label} {path}:{number}: {what}" for what, pattern in TOKENS.items() if pattern.search(line)]
    return findings


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def lab_logs(lab: dict) -> dict[str, Path]:
    """The lab's own logs that what the collection sends can reach."""
    lab_dir = Path(lab["lab_dir"])
    cloud = lab["cloud"]
    logs = {"fake cloud log": Path(cloud["log"]), "fake cloud request log": Path(cloud["state_dir"]) / "requests.jsonl",
            "fake cloud action log": Path(cloud["state_dir"]) / "actions.jsonl"}
    for name, host in lab["winrm"]["hosts"].items():
        logs[f"fake WinRM {name} log"] = lab_dir / "logs" / f"winrm-{name}.log"
        logs[f"fake WinRM {name} command log"] = Path(host["state_dir"]) / "commands.jsonl"
    for path in sorted(Path(lab["samba"]["log_dir"]).glob("*")):
        if path.is_file():
            logs[f"samba log {path.name}"] = path
    return logs


def json_document(stdout: str) -> dict:
    """The lab_json callback's document, found in stdout among the -vvvv and debug lines."""
    start = stdout.rfind('{\n  "plays": [')
    assert start >= 0, "no JSON document from the lab_json callback in stdout"
    return json.JSONDecoder().raw_decode(stdout, start)[0]


# ---------------------------------------------------------------- the test
def test_the_scan_finds_every_form(tmp_path):
    """The scan itself: each form of a secret, planted in a line of its own, is found on that line; short values are not."""
    secret = "S3cr+t/p@ss word!~"
    forms = forms_of(secret)
    text = tmp_path / "out.txt"
    text.write_text("nothing here\n" + "".join(f"prefix{form}suffix\n" for form in forms.values())
                    + "tok eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsYWIifQ.c2ln\nhdr Bearer abcdefgh12\nab1!\n")
    findings = scan({"planted": (text, 0)}, needles({"demo": secret, "short": "ab1!"}), tmp_path)
    for number, form in enumerate(forms, 2):
        assert any(f"out.txt:{number}: demo (" in f for f in findings), (form, findings)
    assert len(forms) == 16
    assert any("access token (JWT)" in f for f in findings) and any("Authorization header value" in f for f in findings)
    assert not any("short" in f for f in findings), findings
    assert not scan({"planted": (text, len(forms) + 3)}, needles({"demo": secret}), tmp_path), "lines to skip are skipped"


def _delete_canary(lab):
    import ldap3  # pylint: disable=import-outside-toplevel

    samba = lab["samba"]
    server = ldap3.Server(samba["ip"], port=636, use_ssl=True, tls=ldap3.Tls(ca_certs_file=lab["ca_cert"]))
    with ldap3.Connection(server, samba["admin_upn"], samba["admin_password"], auto_bind=True) as conn:
        conn.search(samba["base_dn"], f"(sAMAccountName={CANARY})", attributes=["cn"])
        for entry in list(conn.entries):
            conn.delete(entry.entry_dn)


@pytest.fixture(name="restored")
def fixture_restored(lab, playbook, cloud):
    """After the test: the canary gone, site.yml run again (then the cloud fixture resets the fake cloud)."""
    _delete_canary(lab)
    yield cloud
    _delete_canary(lab)
    again = playbook(SITE)
    assert again.rc == 0, again.stderr[-3000:]


@pytest.mark.usefixtures("clean")
@pytest.mark.parametrize("callback", ["lab_json", "default"])
def test_no_secret_in_any_output_or_log(callback, lab, playbook, restored, tmp_path):
    secrets = lab_secrets(lab, restored)
    kinds = ("samba admin_password", "samba user", "winrm", "client_secret", "sccauth", "xsrf cookie", "xsrf header", "msi header",
             "private key ca.key", "private key cloud-app-sensors-reader.key")
    assert all(any(kind in name for name in secrets) for kind in kinds), sorted(secrets)
    wanted = needles(secrets)
    assert len(wanted) > 16 * len(kinds), "too few secrets to look for"
    logs = lab_logs(lab)
    start = {label: _lines(path) for label, path in logs.items()}

    env = {"ANSIBLE_DEBUG": "1", "ANSIBLE_NOCOLOR": "1"}
    if callback == "default":
        env["ANSIBLE_STDOUT_CALLBACK"] = "default"
    report_dir = tmp_path / "report"
    extra = {"verify_remediation_canary": CANARY, "verify_remediation_canary_create": True, "verify_report_dir": str(report_dir)}
    readiness_dir = tmp_path / "readiness"
    runs = {"site": (SITE, ()), "verify": (VERIFY, ("-e", json.dumps(extra))), "prerequisites": (PREREQUISITES, readiness_vars()),
            # readiness_fail_on_problems: the fake cloud keeps an auditing health issue open, which the report shows as it should
            "readiness": (READINESS, readiness_vars(readiness_report_dir=str(readiness_dir), readiness_fail_on_problems=False)),
            "teardown": (TEARDOWN, ())}
    files = {}
    for name, (text, args) in runs.items():
        result = playbook(text, extra_args=[*VERBOSE, *args], env=env)
        for stream in ("stdout", "stderr"):
            path = tmp_path / f"{name}.{stream}"
            path.write_text(getattr(result, stream), encoding="utf-8")
            files[f"{name} {stream}"] = (path, 0)
        assert result.rc == 0, f"{name} failed (rc={result.rc}), see {tmp_path}/{name}.stdout"
        assert DEBUG_LINE.search(result.stdout), f"{name}: no ANSIBLE_DEBUG output"
        assert "setting up inventory plugins" in result.stdout, f"{name}: no -vvvv output"
        if callback == "lab_json":
            document = json_document(result.stdout)
            assert sum(len(t["hosts"]) for p in document["plays"] for t in p["tasks"]) > 5, f"{name}: the JSON document is empty"
            path = tmp_path / f"{name}.json"
            path.write_text(json.dumps(document, indent=2), encoding="utf-8")
            files[f"{name} JSON callback"] = (path, 0)
        else:
            assert "PLAY RECAP" in result.stdout, f"{name}: no default callback output"
    for report in ("report.md", "report.html"):
        path = report_dir / report
        assert path.stat().st_size > 500, f"{path} is (nearly) empty"
        files[f"verify {report}"] = (path, 0)
    assert "| remediation | PASS |" in (report_dir / "report.md").read_text(), "the remediation proof on the canary did not pass"
    for report in ("report.md", "report.html", "report.json"):
        path = readiness_dir / report
        assert path.stat().st_size > 500, f"{path} is (nearly) empty"
        files[f"readiness {report}"] = (path, 0)
    assert json.loads((readiness_dir / "report.json").read_text())["counts"]["PASS"] > 10, "the readiness report read too little"
    for label, path in logs.items():
        if path.exists():
            files[label] = (path, start[label])
    grown = {label for label, path in logs.items() if _lines(path) > start[label]}
    must_grow = {"fake cloud request log", "fake cloud action log", "fake WinRM dc1 command log", "fake WinRM dc1 log"}
    assert must_grow <= grown, f"the run left nothing in {sorted(must_grow - grown)}: nothing to check there"

    findings = scan(files, wanted, tmp_path)
    assert not findings, f"{len(findings)} secrets in the output or the lab's logs (the first 50):\n" + "\n".join(findings[:50])

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX job template, its survey, the inventory source and the example project in extensions/awx/.

Every survey variable must be a variable of one of the collection's roles (roles/*/meta/argument_specs.yml),
with a survey type and choices that the role accepts. The survey rules follow AWX's own check of a survey
spec (awx/api/views, JobTemplateSurveySpec)."""
from __future__ import annotations

import pytest
import yaml

from .conftest import AWX, REPO, ansible_doc, load_yaml_files, role_variables

TEMPLATES = load_yaml_files(AWX / "job_templates")
SOURCES = load_yaml_files(AWX / "inventory_sources")
PROJECT = AWX / "project"
SURVEY_TYPES = {"text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"}
# A survey answer reaches the play as this Python type; the role variable must accept it as it is.
ROLE_TYPES = {"text": {"str"}, "textarea": {"str"}, "password": {"str"}, "integer": {"int"}, "float": {"float"},
              "multiplechoice": {"str"}, "multiselect": {"list"}}
BUILTIN_CREDENTIAL_TYPES = {"Machine", "Vault", "Source Control"}


def credential_type_names() -> set[str]:
    return {ctype["name"] for ctype in load_yaml_files(AWX / "credential_types").values()}


def _choices(item) -> list[str]:
    choices = item.get("choices") or []
    return choices.split("\n") if isinstance(choices, str) else list(choices)


@pytest.mark.parametrize("filename", sorted(TEMPLATES))
def test_survey_spec_is_valid_for_awx(filename):
    survey = TEMPLATES[filename]["survey_spec"]
    assert {"name", "description", "spec"} <= set(survey) and isinstance(survey["spec"], list) and survey["spec"]
    seen = set()
    for index, item in enumerate(survey["spec"]):
        for key, kind in (("type", str), ("question_name", str), ("variable", str), ("required", bool)):
            assert isinstance(item.get(key), kind), f"question {index}: '{key}' missing or not a {kind.__name__}"
        assert item["variable"] not in seen, f"question {index}: variable {item['variable']} asked twice"
        seen.add(item["variable"])
        assert item["type"] in SURVEY_TYPES, f"question {index}: type {item['type']}"
        if item["type"] in ("multiplechoice", "multiselect"):
            choices = _choices(item)
            assert choices, f"question {index}: no choices"
            defaults = item.get("default", "")
            defaults = defaults.split("\n") if isinstance(defaults, str) else defaults
            assert all(d in choices for d in defaults if d), f"question {index}: default {defaults} not among {choices}"
        if item["type"] in ("text", "textarea", "password") and item.get("default"):
            assert isinstance(item["default"], str)
            assert item.get("min", 0) <= len(item["default"]) <= item.get("max", 1024), f"question {index}: default length"
    assert TEMPLATES[filename]["job_template"].get("survey_enabled") is True


@pytest.mark.parametrize("filename", sorted(TEMPLATES))
def test_survey_variables_are_role_variables(filename):
    known = role_variables()
    unknown = [item["variable"] for item in TEMPLATES[filename]["survey_spec"]["spec"] if item["variable"] not in known]
    assert not unknown, (
        f"{filename}: survey variable(s) {unknown} are not variables of any role; the roles' meta/argument_specs.yml "
        f"define: {sorted(known) or 'nothing (no roles/*/meta/argument_specs.yml found)'}")


@pytest.mark.parametrize("filename", sorted(TEMPLATES))
def test_survey_answers_fit_the_role_variables(filename):
    known = role_variables()
    problems = []
    for item in TEMPLATES[filename]["survey_spec"]["spec"]:
        if item["variable"] not in known:
            continue  # reported by test_survey_variables_are_role_variables
        role, _entrypoint, spec = known[item["variable"]]
        where = f"{item['variable']} (role {role})"
        if spec.get("type", "str") not in ROLE_TYPES[item["type"]]:
            problems.append(f"{where}: a {item['type']} answer is not a {spec.get('type', 'str')}")
        allowed = spec.get("choices")
        if allowed is not None and item["type"] not in ("multiplechoice", "multiselect"):
            problems.append(f"{where}: the role allows only {allowed}; ask with multiplechoice")
        if allowed is not None and not set(_choices(item)) <= {str(a) for a in allowed}:
            problems.append(f"{where}: survey choices {_choices(item)} are not all among the role's {allowed}")
        if "default" in spec and "{{" not in str(spec["default"]) and item.get("default") not in (None, "", spec["default"]):
            problems.append(f"{where}: survey default {item.get('default')!r} differs from the role's {spec['default']!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("filename", sorted(TEMPLATES))
def test_job_template_refers_to_what_exists(filename):
    template = TEMPLATES[filename]
    assert (PROJECT / template["job_template"]["playbook"]).is_file(), template["job_template"]["playbook"]
    known_types = credential_type_names() | BUILTIN_CREDENTIAL_TYPES
    for credential in template["credentials"]:
        assert credential["credential_type"] in known_types, credential
    assert template["job_template"]["job_type"] in ("run", "check")


def test_project_playbook_is_the_collection_site_playbook():
    plays = yaml.safe_load((PROJECT / "site.yml").read_text(encoding="utf-8"))
    imported = [play.get("ansible.builtin.import_playbook") for play in plays]
    assert "mdi.action_accounts.site" in imported
    assert (REPO / "playbooks" / "site.yml").is_file()
    requirements = yaml.safe_load((PROJECT / "collections" / "requirements.yml").read_text(encoding="utf-8"))
    assert any("action_accounts" in entry["name"] for entry in requirements["collections"])


@pytest.mark.parametrize("filename", sorted(SOURCES))
def test_inventory_source_uses_the_plugin_with_valid_options(filename, ansible_env):
    source = SOURCES[filename]["inventory_source"]
    credential = SOURCES[filename]["credential"]
    assert source["source"] == "scm"
    assert source["credential"] == credential["name"] and credential["credential_type"] in credential_type_names()
    path = PROJECT / source["source_path"]
    assert path.is_file(), path
    assert path.name.endswith(("mdi_sensors.yml", "mdi_sensors.yaml")), "the plugin only reads files named *mdi_sensors.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["plugin"] == "mdi.action_accounts.mdi_sensors"
    options = ansible_doc(ansible_env, "inventory", "mdi_sensors")["doc"]["options"]
    unknown = sorted(set(config) - set(options))
    assert not unknown, f"{path}: not options of mdi_sensors: {unknown}"
    secrets = {"client_secret", "client_private_key_passphrase"} & set(config)
    assert not secrets, f"{path}: secrets belong in the AWX credential, not the project: {secrets}"

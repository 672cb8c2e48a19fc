# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
name: mdi_sensors
short_description: Hosts that run a Microsoft Defender for Identity sensor, from Microsoft Graph
version_added: 0.1.0
description:
  - Reads the tenant's MDI sensors from Microsoft Graph (C(GET /security/identities/sensors)) and adds one host
    per sensor, named by the sensor's host DNS name.
  - Groups - C(domain_controllers) holds the hosts whose sensor type is in O(domain_controller_types); one group per
    Active Directory domain holds that domain's hosts, named C(domain_) and the domain with every character that is
    not a letter, digit or underscore replaced by C(_) (C(corp.example.com) gives C(domain_corp_example_com)).
  - Host variables - C(mdi_sensor_id), C(mdi_sensor_name), C(mdi_sensor_type), C(mdi_sensor_health),
    C(mdi_sensor_version), C(mdi_domain). No connection variables are set; add them with group_vars or O(compose).
  - The configuration file's name must end with C(mdi_sensors.yml) or C(mdi_sensors.yaml).
  - Options not set in the file are taken from the environment variables named in their descriptions, else their defaults.
options:
  plugin:
    description: The name of this plugin; it makes the file an inventory source for it.
    type: str
    required: true
    choices: [mdi.action_accounts.mdi_sensors]
  domain_controller_types:
    description:
      - The sensor types whose hosts join the C(domain_controllers) group.
      - The default is the sensor installed on a domain controller; a C(domainControllerStandalone) sensor runs on its own
        server, not on the domain controller it watches.
    type: list
    elements: str
    default: [domainControllerIntegrated]
extends_documentation_fragment:
  - mdi.action_accounts.graph_auth
  - mdi.action_accounts.cloud_http
  - constructed
"""

EXAMPLES = r"""
# inventory/prod.mdi_sensors.yml - client secret from the environment (AZURE_CLIENT_SECRET)
plugin: mdi.action_accounts.mdi_sensors
tenant_id: 00000000-0000-0000-0000-000000000000
client_id: 11111111-1111-1111-1111-111111111111

---
# inventory/gov.mdi_sensors.yml - US Government, certificate credential, WinRM settings composed per host
plugin: mdi.action_accounts.mdi_sensors
authority_host: https://login.microsoftonline.us
graph_url: https://graph.microsoft.us
tenant_id: 00000000-0000-0000-0000-000000000000
client_id: 11111111-1111-1111-1111-111111111111
client_certificate_path: /etc/ansible/mdi-app.pem
compose:
  ansible_connection: "'winrm'"
keyed_groups:
  - key: mdi_sensor_health
    prefix: mdi_health
"""

import re

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.inventory import BaseInventoryPlugin, Constructable

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError, failure_message
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import graph_auth_argument_spec, http_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import graph_client, missing_library

DC_GROUP = "domain_controllers"


def domain_group(domain: str) -> str:
    return "domain_" + re.sub(r"[^a-z0-9_]", "_", domain.lower())


class InventoryModule(BaseInventoryPlugin, Constructable):
    NAME = "mdi.action_accounts.mdi_sensors"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(("mdi_sensors.yml", "mdi_sensors.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        missing = missing_library(msal=True)
        if missing:
            raise AnsibleParserError(f"the {missing[0]} Python library is needed on the controller:\n{missing[1]}")
        try:
            sensors = graph_client(self._cloud_params(config)).sensors()
        except CloudError as exc:
            raise AnsibleParserError(failure_message(exc, "list MDI sensors")) from None
        self._populate(sensors)

    def _cloud_params(self, config: dict) -> dict:
        """The file's options through the modules' own argument spec, so env fallbacks and checks are the same."""
        spec = {**graph_auth_argument_spec(), **http_argument_spec()}
        given = {name: self.get_option(name) for name in spec if (config or {}).get(name) is not None}
        result = ArgumentSpecValidator(spec).validate(given)
        if result.error_messages:
            raise AnsibleParserError("invalid mdi_sensors options: " + "; ".join(result.error_messages))
        return result.validated_parameters

    def _populate(self, sensors: list[dict]) -> None:
        dc_types = set(self.get_option("domain_controller_types"))
        strict = self.get_option("strict")
        self.inventory.add_group(DC_GROUP)
        for sensor in sensors:
            host = self.inventory.add_host(sensor["host_name"])
            hostvars = {"mdi_sensor_id": sensor["id"], "mdi_sensor_name": sensor["name"], "mdi_sensor_type": sensor["type"],
                        "mdi_sensor_health": sensor["health"], "mdi_sensor_version": sensor["version"], "mdi_domain": sensor["domain"]}
            for key, value in hostvars.items():
                self.inventory.set_variable(host, key, value)
            group = self.inventory.add_group(domain_group(sensor["domain"]))
            self.inventory.add_child(group, host)
            if sensor["type"] in dc_types:
                self.inventory.add_child(DC_GROUP, host)
            self._set_composite_vars(self.get_option("compose"), hostvars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, host, strict=strict)

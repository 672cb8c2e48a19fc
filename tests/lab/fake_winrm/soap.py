# -*- coding: utf-8 -*-
"""WS-Management SOAP envelopes: read a request, write the replies pywinrm and Ansible's winrm
connection understand. Only the shell operations (Create, Command, Send, Receive, Signal, Delete)."""
from __future__ import annotations

import base64
import uuid
import xml.etree.ElementTree as ET

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
    "p": "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
}
SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
ACTIONS = {
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create": "create",
    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete": "delete",
    f"{SHELL}/Command": "command",
    f"{SHELL}/Send": "send",
    f"{SHELL}/Receive": "receive",
    f"{SHELL}/Signal": "signal",
}
DONE = f"{SHELL}/CommandState/Done"


class Request:
    """The parts of a WS-Man request the fake acts on."""

    def __init__(self, body: bytes):
        self.root = ET.fromstring(body)
        self.action_uri = self._text("s:Header/a:Action")
        self.action = ACTIONS.get(self.action_uri or "", "unknown")
        self.message_id = self._text("s:Header/a:MessageID")
        selector = self.root.find("s:Header/w:SelectorSet/w:Selector[@Name='ShellId']", NS)
        self.shell_id = selector.text if selector is not None else None

    def _text(self, path: str) -> str | None:
        node = self.root.find(path, NS)
        return node.text if node is not None else None

    def command_line(self) -> list[str]:
        """Command and arguments of a Command request."""
        node = self.root.find("s:Body/rsp:CommandLine", NS)
        command = node.findtext("rsp:Command", default="", namespaces=NS)
        return [command] + [arg.text or "" for arg in node.findall("rsp:Arguments", NS)]

    def command_id(self) -> str | None:
        for node in self.root.iter():
            if node.get("CommandId"):
                return node.get("CommandId")
        return None

    def stdin(self) -> tuple[bytes, bool]:
        node = self.root.find("s:Body/rsp:Send/rsp:Stream", NS)
        data = base64.b64decode(node.text) if node is not None and node.text else b""
        return data, node is not None and node.get("End", "").lower() == "true"


def _envelope(relates_to: str | None, action: str, body: str) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{NS["s"]}" xmlns:a="{NS["a"]}" xmlns:w="{NS["w"]}" xmlns:rsp="{NS["rsp"]}">'
        f"<s:Header><a:Action>{action}</a:Action><a:MessageID>uuid:{uuid.uuid4()}</a:MessageID>"
        f"<a:RelatesTo>{relates_to or ''}</a:RelatesTo></s:Header><s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


def create_response(req: Request, shell_id: str) -> bytes:
    body = (
        "<x:ResourceCreated xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\">"
        "<a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address>"
        f"<a:ReferenceParameters><w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>"
        f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet></a:ReferenceParameters>'
        f"</x:ResourceCreated><rsp:Shell><rsp:ShellId>{shell_id}</rsp:ShellId></rsp:Shell>"
    )
    return _envelope(req.message_id, "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse", body)


def command_response(req: Request, command_id: str) -> bytes:
    body = f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>"
    return _envelope(req.message_id, f"{SHELL}/CommandResponse", body)


def receive_response(req: Request, command_id: str, stdout: bytes, stderr: bytes, exit_code: int) -> bytes:
    def stream(name: str, data: bytes) -> str:
        encoded = base64.b64encode(data).decode()
        return (f'<rsp:Stream Name="{name}" CommandId="{command_id}">{encoded}</rsp:Stream>' if data else "") + \
            f'<rsp:Stream Name="{name}" CommandId="{command_id}" End="true"></rsp:Stream>'

    body = (
        f"<rsp:ReceiveResponse>{stream('stdout', stdout)}{stream('stderr', stderr)}"
        f'<rsp:CommandState CommandId="{command_id}" State="{DONE}"><rsp:ExitCode>{exit_code}</rsp:ExitCode>'
        "</rsp:CommandState></rsp:ReceiveResponse>"
    )
    return _envelope(req.message_id, f"{SHELL}/ReceiveResponse", body)


def simple_response(req: Request, name: str) -> bytes:
    """Send, Signal and Delete replies carry nothing the client reads."""
    action = {"send": f"{SHELL}/SendResponse", "signal": f"{SHELL}/SignalResponse",
              "delete": "http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse"}[name]
    body = {"send": "<rsp:SendResponse/>", "signal": "<rsp:SignalResponse/>", "delete": ""}[name]
    return _envelope(req.message_id, action, body)


def fault(relates_to: str | None, code: str, reason: str, wsman_code: int = 2150858770) -> bytes:
    """A SOAP fault as Windows sends it (HTTP 500); pywinrm raises WSManFaultError from it."""
    body = (
        f"<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:{code}</s:Value></s:Subcode></s:Code>"
        f'<s:Reason><s:Text xml:lang="en-US">{reason}</s:Text></s:Reason>'
        f'<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="{wsman_code}" '
        f'Machine="fake"><f:Message>{reason}</f:Message></f:WSManFault></s:Detail></s:Fault>'
    )
    return _envelope(relates_to, "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", body)

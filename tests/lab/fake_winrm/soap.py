# -*- coding: utf-8 -*-
"""WS-Management SOAP envelopes for the WinRS shell operations (Create, Command, Send, Receive, Signal,
Delete): read a request, write replies shaped like Windows' own, and SOAP faults (HTTP 500) with the
codes and texts of wsmerror.h, which pywinrm turns into WSManFaultError."""
from __future__ import annotations

import base64
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "p": "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
    "x": "http://schemas.xmlsoap.org/ws/2004/09/transfer",
    "f": "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault",
}
SHELL = NS["rsp"]
TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
CMD_RESOURCE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
ACTIONS = {
    f"{TRANSFER}/Create": "create", f"{TRANSFER}/Delete": "delete", f"{SHELL}/Command": "command",
    f"{SHELL}/Send": "send", f"{SHELL}/Receive": "receive", f"{SHELL}/Signal": "signal",
}
DONE = f"{SHELL}/CommandState/Done"

# (SOAP code, subcode, WSManFault code) of the faults the fake sends.
ACTION_NOT_SUPPORTED = ("s:Sender", "a:ActionNotSupported", 2150858771)
INVALID_SELECTORS = ("s:Sender", "w:InvalidSelectors", 2150858843)
INTERNAL_ERROR = ("s:Receiver", "w:InternalError", 1359)
QUOTA_SHELLS = ("s:Receiver", "w:QuotaLimit", 2150859173)
ACCESS_DENIED = ("s:Sender", "w:AccessDenied", 5)


class Request:
    """The parts of a WS-Management request the fake acts on."""

    def __init__(self, body: bytes):
        self.root = ET.fromstring(body)  # nosec - lab-only server; its clients are the project's own tests
        if self.root.tag != f"{{{NS['s']}}}Envelope":
            raise ValueError("not a SOAP 1.2 envelope")
        self.action_uri = self._text("s:Header/a:Action") or ""
        self.action = ACTIONS.get(self.action_uri, "unknown")
        self.message_id = self._text("s:Header/a:MessageID")
        self.resource_uri = self._text("s:Header/w:ResourceURI")
        selector = self.root.find("s:Header/w:SelectorSet/w:Selector[@Name='ShellId']", NS)
        self.shell_id = selector.text if selector is not None else None
        self.options = {o.get("Name"): (o.text or "") for o in self.root.findall("s:Header/w:OptionSet/w:Option", NS)}

    def _text(self, path: str) -> str | None:
        node = self.root.find(path, NS)
        return node.text if node is not None else None

    def option(self, name: str, default: str = "") -> str:
        return self.options.get(name, default)

    def command_line(self) -> tuple[str, list[str]]:
        """Command and arguments of a Command request."""
        node = self.root.find("s:Body/rsp:CommandLine", NS)
        if node is None:
            return "", []
        return node.findtext("rsp:Command", default="", namespaces=NS), [a.text or "" for a in node.findall("rsp:Arguments", NS)]

    def environment(self) -> dict:
        """Variables of a Create request's rsp:Environment."""
        return {v.get("Name"): v.text or "" for v in self.root.findall("s:Body/rsp:Shell/rsp:Environment/rsp:Variable", NS)}

    def command_id(self) -> str | None:
        for node in self.root.find("s:Body", NS).iter():
            if node.get("CommandId"):
                return node.get("CommandId")
        return None

    def stdin(self) -> tuple[bytes, bool]:
        node = self.root.find("s:Body/rsp:Send/rsp:Stream", NS)
        if node is None:
            return b"", False
        return (base64.b64decode(node.text) if node.text else b""), node.get("End", "").lower() == "true"


def _envelope(relates_to: str | None, action: str, body: str, header: str = "") -> bytes:
    return (
        f'<s:Envelope xml:lang="en-US" xmlns:s="{NS["s"]}" xmlns:a="{NS["a"]}" xmlns:x="{NS["x"]}" '
        f'xmlns:w="{NS["w"]}" xmlns:rsp="{NS["rsp"]}" xmlns:p="{NS["p"]}">'
        f"<s:Header><a:Action>{action}</a:Action><a:MessageID>uuid:{str(uuid.uuid4()).upper()}</a:MessageID>"
        f"<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>"
        f"<a:RelatesTo>{escape(relates_to or '')}</a:RelatesTo>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"
    ).encode("utf-8")


def create_response(req: Request, shell_id: str, address: str, owner: str, client_ip: str, codepage: int) -> bytes:
    body = (
        f"<x:ResourceCreated><a:Address>{escape(address)}</a:Address>"
        f"<a:ReferenceParameters><w:ResourceURI>{CMD_RESOURCE}</w:ResourceURI>"
        f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet></a:ReferenceParameters>'
        f"</x:ResourceCreated><rsp:Shell><rsp:ShellId>{shell_id}</rsp:ShellId><rsp:ResourceUri>{CMD_RESOURCE}</rsp:ResourceUri>"
        f"<rsp:Owner>{escape(owner)}</rsp:Owner><rsp:ClientIP>{escape(client_ip)}</rsp:ClientIP>"
        f"<rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut><rsp:InputStreams>stdin</rsp:InputStreams>"
        f"<rsp:OutputStreams>stdout stderr</rsp:OutputStreams><rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime>"
        f"<rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity><rsp:Locale>en-US</rsp:Locale>"
        f"<rsp:CodePage>{codepage}</rsp:CodePage></rsp:Shell>"
    )
    return _envelope(req.message_id, f"{TRANSFER}/CreateResponse", body)


def command_response(req: Request, command_id: str) -> bytes:
    return _envelope(req.message_id, f"{SHELL}/CommandResponse",
                     f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>")


def receive_response(req: Request, command_id: str, stdout: bytes, stderr: bytes, exit_code: int) -> bytes:
    """All output at once and CommandState Done: the fake's commands finish before the first Receive returns."""
    def stream(name: str, data: bytes) -> str:
        chunk = f'<rsp:Stream Name="{name}" CommandId="{command_id}">{base64.b64encode(data).decode()}</rsp:Stream>' if data else ""
        return chunk + f'<rsp:Stream Name="{name}" CommandId="{command_id}" End="true"></rsp:Stream>'

    body = (
        f'<rsp:ReceiveResponse>{stream("stdout", stdout)}{stream("stderr", stderr)}'
        f'<rsp:CommandState CommandId="{command_id}" State="{DONE}"><rsp:ExitCode>{exit_code}</rsp:ExitCode>'
        "</rsp:CommandState></rsp:ReceiveResponse>"
    )
    return _envelope(req.message_id, f"{SHELL}/ReceiveResponse", body)


def simple_response(req: Request) -> bytes:
    """Send, Signal and Delete replies carry nothing the client reads but RelatesTo."""
    action, body = {
        "send": (f"{SHELL}/SendResponse", "<rsp:SendResponse/>"),
        "signal": (f"{SHELL}/SignalResponse", "<rsp:SignalResponse/>"),
        "delete": (f"{TRANSFER}/DeleteResponse", ""),
    }[req.action]
    return _envelope(req.message_id, action, body)


def fault(relates_to: str | None, kind: tuple[str, str, int], reason: str, machine: str) -> bytes:
    """A SOAP fault as Windows sends it with HTTP 500; pywinrm raises WSManFaultError from it."""
    code, subcode, wsman_code = kind
    text = escape(reason)
    body = (
        f"<s:Fault><s:Code><s:Value>{code}</s:Value><s:Subcode><s:Value>{subcode}</s:Value></s:Subcode></s:Code>"
        f'<s:Reason><s:Text xml:lang="en-US">{text}</s:Text></s:Reason>'
        f'<s:Detail><f:WSManFault xmlns:f="{NS["f"]}" Code="{wsman_code}" Machine={quoteattr(machine)}>'
        f"<f:Message>{text} </f:Message></f:WSManFault></s:Detail></s:Fault>"
    )
    return _envelope(relates_to, "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", body)

# -*- coding: utf-8 -*-
"""Fake Windows domain controllers that speak real WinRM (WS-Management), for the lab only.

One process per host (`python -m fake_winrm CONFIG`), started by tests/lab/fake_winrm_hosts.py.
pywinrm and Ansible's own `ansible.builtin.winrm` connection plugin talk to it over HTTP and HTTPS.

    server.py       HTTP(S) listeners, Basic and NTLM auth, fault switches, restart
    ntlm.py         NTLM (pyspnego acceptor), channel binding, WinRM message encryption
    winrs.py        WS-Management shell operations: Create, Command, Send, Receive, Signal, Delete
    soap.py         SOAP envelopes and faults
    shell.py        what WinRS starts: cmd.exe, powershell.exe arguments, Windows' length limits
    powershell.py   the few statements the fake understands; PowerShell's errors for the rest
    user_rights.py  the user-rights contract (docs/contracts/user_rights.md) on the host's state
    principals.py   name <-> SID like a DC: well-known table, live LDAPS lookups in the lab's Samba DC
    host.py         state.json, commands.jsonl, faults.json

NOT emulated (a test that needs one of these needs a real Windows host):
- authentication other than Basic and raw NTLM: no Kerberos, SPNEGO-wrapped Negotiate, CredSSP or
  certificate auth; NTLM knows the administrator only and checks channel binding strictly over HTTPS
  (Windows' default is Relaxed); unencrypted messages are accepted over HTTP (AllowUnencrypted true, which
  Basic over HTTP needs; a default Windows host refuses them and refuses Basic for domain accounts);
- authorisation: every valid credential is an administrator; no Remote Management Users, no UAC;
- PowerShell itself: only the statements powershell.py lists and the contract script (recognised by
  its marker, never executed); no modules, no Ansible module execution (exec wrapper), no files
  (put_file/fetch_file fail), no PSRP (the `psrp` connection plugin);
- LSA beyond member lists of user rights: no privileges in tokens, no local SAM accounts beyond BUILTIN,
  no foreign or trusted domains; principals resolve against the one lab domain only;
- Group Policy: RSoP is whatever `gpo_rights` in state.json says (not read from SYSVOL); a refresh
  happens only when `gpupdate /force` runs, never on a timer; CIM/WMI (RSOP_*) is not served;
- WS-Management beyond the WinRS shell: no Enumerate/Get/Put (WMI), no Reconnect/Disconnect, no
  streaming of long-running output, no OperationTimeout faults (commands finish at once), no shell
  idle timeout; quotas only MaxShellsPerUser (30) and MaxEnvelopeSizekb (500).
"""

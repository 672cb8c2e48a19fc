# mdi.action_accounts/user_rights v2
#
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Script version 2, speaking contract v2 (docs/contracts/user_rights.md).
#
# What it does: reads, and for add/remove/set changes, which accounts hold ONE Windows user right or
# privilege in this computer's LSA policy (advapi32 LsaEnumerateAccountsWithUserRight,
# LsaAddAccountRights, LsaRemoveAccountRights), and reports the Group Policy object that defines that
# right in the resultant set of policy (RSOP_UserPrivilegeRight with precedence 1, named by RSOP_GPO),
# because Group Policy overwrites a local change at its next refresh. With refuse_gpo_conflict it changes
# nothing when that GPO would replace the result, and says so ("refused": true). It prints one JSON line and
# exits 0 (result) or 1 ({"failed": true, "msg", "error_type"}).
#
# How the action plugin mdi.action_accounts.user_right sends it, as ONE command over the host's own
# Windows connection: the marker line, $Request with the task's JSON line and a one-line loader go in the
# -EncodedCommand; the lines after the request (this header stays behind) go on stdin, which the loader runs.
# Why: WinRM runs commands through cmd.exe, whose 8191-character command line cannot hold this script
# once encoded (UTF-16-LE + base64); Ansible's own module bootstrap reads stdin the same way.
#
# Verification: PowerShell cannot run on the collection's build machine. The C# below is compiled with Mono's
# C# compiler and the script parsed with a PowerShell grammar (tests/tooling/test_windows_scripts.py); what it
# answers is checked by the contract tests against the lab's fake hosts (tests/lab/fake_winrm/user_rights.py,
# tests/unit/plugins/module_utils/_user_rights/test_contract.py).
#
# Run it by hand on a Windows host as an administrator (Windows PowerShell 5.1 or PowerShell 7):
# edit the JSON line (as shipped it only queries SeServiceLogonRight), then
#   powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\user_rights.ps1
$Request = @'
{"right": "SeServiceLogonRight", "action": "query", "principals": [], "check_mode": true, "refuse_gpo_conflict": false}
'@

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Exit-Json($Object, [int]$Code) {
    # \uXXXX for every non-ASCII character: stdout goes through the console code page, JSON must not.
    $json = [regex]::Replace(($Object | ConvertTo-Json -Compress -Depth 5), '[^\x00-\x7F]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
    Write-Output $json
    exit $Code
}

function Exit-Error([string]$Message, [string]$ErrorType) {
    Exit-Json ([ordered]@{ failed = $true; msg = $Message; error_type = $ErrorType }) 1
}

if (-not ('MdiActionAccounts.Lsa' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Security.Principal;

namespace MdiActionAccounts
{
    public class NoSuchRightException : Exception { }

    public sealed class Lsa : IDisposable
    {
        [StructLayout(LayoutKind.Sequential)]
        struct ObjectAttributes
        {
            public int Length;
            public IntPtr RootDirectory, ObjectName;
            public int Attributes;
            public IntPtr SecurityDescriptor, SecurityQualityOfService;
        }

        [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
        struct UnicodeString
        {
            public ushort Length, MaximumLength;
            [MarshalAs(UnmanagedType.LPWStr)] public string Buffer;
        }

        [DllImport("advapi32.dll")]
        static extern uint LsaOpenPolicy(IntPtr system, ref ObjectAttributes attributes, int access, out IntPtr handle);
        [DllImport("advapi32.dll")]
        static extern uint LsaEnumerateAccountsWithUserRight(IntPtr handle, UnicodeString[] right, out IntPtr buffer, out uint count);
        [DllImport("advapi32.dll")]
        static extern uint LsaAddAccountRights(IntPtr handle, byte[] sid, UnicodeString[] rights, uint count);
        [DllImport("advapi32.dll")]
        static extern uint LsaRemoveAccountRights(IntPtr handle, byte[] sid, [MarshalAs(UnmanagedType.U1)] bool all, UnicodeString[] rights, uint count);
        [DllImport("advapi32.dll")]
        static extern uint LsaFreeMemory(IntPtr buffer);
        [DllImport("advapi32.dll")]
        static extern uint LsaClose(IntPtr handle);
        [DllImport("advapi32.dll")]
        static extern int LsaNtStatusToWinError(uint status);

        const uint StatusNoMoreEntries = 0x8000001A, StatusNoSuchPrivilege = 0xC0000060;
        // POLICY_VIEW_LOCAL_INFORMATION | POLICY_LOOKUP_NAMES to read; POLICY_ALL_ACCESS to change.
        const int ReadAccess = 0x801, WriteAccess = 0xF0FFF;
        IntPtr handle;

        public Lsa(bool write)
        {
            ObjectAttributes attributes = new ObjectAttributes();
            attributes.Length = Marshal.SizeOf(typeof(ObjectAttributes));
            Check(LsaOpenPolicy(IntPtr.Zero, ref attributes, write ? WriteAccess : ReadAccess, out handle));
        }

        static void Check(uint status)
        {
            if (status == StatusNoSuchPrivilege) throw new NoSuchRightException();
            if (status != 0) throw new Win32Exception(LsaNtStatusToWinError(status));
        }

        static UnicodeString[] Right(string right)
        {
            UnicodeString value = new UnicodeString();
            value.Buffer = right;
            value.Length = (ushort)(right.Length * 2);
            value.MaximumLength = (ushort)(value.Length + 2);
            return new UnicodeString[] { value };
        }

        static byte[] Binary(string sid)
        {
            SecurityIdentifier value = new SecurityIdentifier(sid);
            byte[] bytes = new byte[value.BinaryLength];
            value.GetBinaryForm(bytes, 0);
            return bytes;
        }

        public string[] Holders(string right)
        {
            IntPtr buffer;
            uint count;
            uint status = LsaEnumerateAccountsWithUserRight(handle, Right(right), out buffer, out count);
            if (status == StatusNoMoreEntries) return new string[0];  // a valid right nobody holds
            Check(status);
            try
            {
                // LSA_ENUMERATION_INFORMATION is one PSID per entry.
                string[] sids = new string[count];
                for (int i = 0; i < count; i++) sids[i] = new SecurityIdentifier(Marshal.ReadIntPtr(buffer, i * IntPtr.Size)).Value;
                return sids;
            }
            finally { LsaFreeMemory(buffer); }
        }

        public void Add(string sid, string right) { Check(LsaAddAccountRights(handle, Binary(sid), Right(right), 1)); }

        public void Remove(string sid, string right) { Check(LsaRemoveAccountRights(handle, Binary(sid), false, Right(right), 1)); }

        public void Dispose()
        {
            if (handle != IntPtr.Zero) LsaClose(handle);
            handle = IntPtr.Zero;
        }
    }
}
'@
}

$names = @{}
function Get-AccountName([string]$Sid) {
    if (-not $names.ContainsKey($Sid)) {
        # A SID that no longer resolves (deleted account) is listed with name null, as the contract says.
        try { $names[$Sid] = (New-Object Security.Principal.SecurityIdentifier $Sid).Translate([Security.Principal.NTAccount]).Value }
        catch { $names[$Sid] = $null }
    }
    $names[$Sid]
}

function New-Member([string]$Sid) {
    [ordered]@{ sid = $Sid; name = (Get-AccountName $Sid) }
}

function ConvertTo-Sid([string]$Principal) {
    $text = $Principal.Trim().TrimStart('*')  # GptTmpl.inf and RSoP write SIDs as *S-1-...
    if ($text -match '^S-1-[0-9-]+$') { return (New-Object Security.Principal.SecurityIdentifier $text).Value }
    # NTAccount takes DOMAIN\name, name@domain (UPN), plain and well-known names (NT SERVICE\ALL SERVICES).
    (New-Object Security.Principal.NTAccount $text).Translate([Security.Principal.SecurityIdentifier]).Value
}

function Get-PolicySource([string]$Right) {
    try {
        $setting = @(Get-CimInstance -Namespace root\rsop\computer -ClassName RSOP_UserPrivilegeRight -Filter "UserRight='$Right' AND precedence=1")
    }
    catch [Microsoft.Management.Infrastructure.CimException] {
        # No RSoP data at all (RSoP logging turned off): nothing to report. Any other failure is an error.
        if ("$($_.Exception.NativeErrorCode)" -in 'InvalidNamespace', 'InvalidClass') { return $null }
        throw
    }
    if ($setting.Count -eq 0) { return $null }
    $gpo = Get-CimInstance -Namespace root\rsop\computer -ClassName RSOP_GPO | Where-Object { $_.id -eq $setting[0].GPOID } | Select-Object -First 1
    $members = @(foreach ($account in $setting[0].AccountList) {  # null for a right defined as nobody: no iteration
            try { New-Member (ConvertTo-Sid $account) }
            catch { [ordered]@{ sid = $null; name = $account } }  # the GPO names an account this host cannot resolve
        })
    if ($gpo) { $name, $guid = $gpo.name, $gpo.guidName } else { $name, $guid = $setting[0].GPOID, $null }
    [ordered]@{ name = $name; guid = $guid; members = $members }
}

try {
    $req = ConvertFrom-Json -InputObject $Request
    $right, $action, $checkMode, $refuseConflict = [string]$req.right, [string]$req.action, $req.check_mode, $req.refuse_gpo_conflict
    if ($checkMode -isnot [bool] -or $refuseConflict -isnot [bool]) { throw 'check_mode and refuse_gpo_conflict must be booleans' }
    $principals = @($req.principals | ForEach-Object { if ($_ -isnot [string]) { throw 'principals must be strings' } $_ })
}
catch { Exit-Error "Bad request: $($_.Exception.Message)" 'BadRequest' }
if ($action -notin 'query', 'add', 'remove', 'set') { Exit-Error "Bad request: action must be query, add, remove or set, not '$action'" 'BadRequest' }

try {
    $lsa = New-Object MdiActionAccounts.Lsa ($action -ne 'query' -and -not $checkMode)
    try {
        try { $before = @($lsa.Holders($right)) }
        catch {
            # By name, not [type]: the type only exists once Add-Type above has run.
            if ($_.Exception.GetBaseException().GetType().Name -ne 'NoSuchRightException') { throw }
            Exit-Error "No such privilege. Indicates a specified privilege does not exist: '$right'" 'UnknownRight'
        }
        $wanted = @(@(foreach ($principal in $principals) {
                    try { ConvertTo-Sid $principal }
                    catch { Exit-Error "Some or all identity references could not be translated. ($principal)" 'UnknownPrincipal' }
                }) | Select-Object -Unique)
        $gpo = Get-PolicySource $right  # before any change: a failure here must leave the host as it was
        # if/else, not switch: a switch that outputs nothing assigns $null, and @($null) is one element, not none.
        if ($action -eq 'add') { $after = @($before) + @($wanted | Where-Object { $before -notcontains $_ }) }
        elseif ($action -eq 'remove') { $after = @($before | Where-Object { $wanted -notcontains $_ }) }
        elseif ($action -eq 'set') { $after = $wanted }
        else { $after = $before }
        # The GPO conflict of the contract, decided BEFORE any LSA call: a refused request leaves the host as it was.
        $refused = $false
        if ($refuseConflict -and $null -ne $gpo) {
            $enforced = @(foreach ($member in $gpo.members) { if ($member.sid) { $member.sid } })  # unresolvable: not applied
            $refused = @($after | Where-Object { $enforced -notcontains $_ }).Count + @($enforced | Where-Object { $after -notcontains $_ }).Count -gt 0
        }
        if ($refused) { $after = $before }  # answer the state as it is; the loop below then has nothing to store
        $added = @($after | Where-Object { $before -notcontains $_ })
        $removed = @($before | Where-Object { $after -notcontains $_ })
        if (-not $checkMode) {
            foreach ($sid in $added) { $lsa.Add($sid, $right) }
            foreach ($sid in $removed) { $lsa.Remove($sid, $right) }
        }
    }
    finally { $lsa.Dispose() }
    # Member lists are built with @() right here: an array a function returns comes back wrapped in a PSObject, which
    # Windows PowerShell 5.1's ConvertTo-Json writes as {"value": [...], "Count": n}.
    Exit-Json ([ordered]@{
            changed = ($added.Count + $removed.Count) -gt 0; right = $right
            before = @(foreach ($sid in $before) { New-Member $sid }); after = @(foreach ($sid in $after) { New-Member $sid })
            added = @(foreach ($sid in $added) { New-Member $sid }); removed = @(foreach ($sid in $removed) { New-Member $sid })
            gpo = $gpo; refused = $refused
        }) 0
}
catch {
    $cause = $_.Exception.GetBaseException()  # not PowerShell's MethodInvocationException wrapper
    Exit-Error $cause.Message $cause.GetType().Name
}

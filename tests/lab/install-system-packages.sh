#!/usr/bin/env bash
# Install what the lab needs on Debian 12 (as root): Samba 4.22 from bookworm-backports (bookworm's
# 4.17 has no gMSA/KDS support), Kerberos client tools, iproute2/util-linux for the namespaces, and
# podman + runc + debootstrap for the container lab (tests/lab/containers/: no registry, local base image),
# Mono's C# compiler (mono-mcs), with which the tooling tests build the C# that user_rights.ps1 hands to Add-Type,
# and Chromium, in which the tooling tests look at the built documentation site (headless: a screenshot and the DOM).
# Idempotent, and a fast no-op when everything is already there (MDI_LAB_FORCE_APT=1 forces the apt run).
set -euo pipefail

# Samba and its libraries come from backports; the base tools from bookworm itself (no needless upgrades).
samba_packages=(samba samba-ad-dc samba-ad-provision winbind python3-samba samba-dsdb-modules samba-common-bin ldb-tools)
base_packages=(krb5-user python3-gssapi iproute2 util-linux podman runc debootstrap mono-mcs chromium)
packages=("${samba_packages[@]}" "${base_packages[@]}")
backports_line='deb http://deb.debian.org/debian bookworm-backports main'
backports_list=/etc/apt/sources.list.d/backports.list

samba_is_recent() {
  # "Version 4.22.6-Debian-..." -> 4 22; anything from 4.22 on supports KDS root keys and gMSAs.
  local version major minor
  version=$(samba --version 2>/dev/null) || return 1
  [[ $version =~ ([0-9]+)\.([0-9]+) ]] || return 1
  major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
  (( major > 4 || (major == 4 && minor >= 22) ))
}

all_installed() {
  local package status
  for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) || return 1
    [[ $status == "install ok installed" ]] || return 1
  done
}

if [[ ${MDI_LAB_FORCE_APT:-0} != 1 ]] && samba_is_recent && all_installed; then
  echo "lab system packages: present ($(samba --version))"
  exit 0
fi

if [[ $(id -u) != 0 ]]; then
  echo "install-system-packages.sh: run as root (it uses apt-get)" >&2
  exit 1
fi

if ! grep -qsr --include='*.list' --include='*.sources' --include='sources.list' 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d; then
  echo "$backports_line" > "$backports_list"
fi

# Package scripts must not start smbd/nmbd/samba-ad-dc on the host (no systemd here: invoke-rc.d would):
# the lab runs its own DC in a namespace. Only add a policy when there is none, and remove only ours.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive  # krb5-config would otherwise ask for a default realm
apt-get update -qq
apt_install=(apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
"${apt_install[@]}" -t bookworm-backports "${samba_packages[@]}"
"${apt_install[@]}" "${base_packages[@]}"
samba_is_recent || { echo "install-system-packages.sh: Samba 4.22+ expected, got: $(samba --version)" >&2; exit 1; }
echo "lab system packages: installed ($(samba --version))"

#!/usr/bin/env bash
# Install what the lab needs on Debian 12 (as root): Samba 4.22 from bookworm-backports (bookworm's
# 4.17 has no gMSA/KDS support), Kerberos client tools, iproute2/util-linux for the namespaces.
# Fast no-op when everything is already there.
set -euo pipefail

packages=(samba samba-ad-dc samba-ad-provision winbind python3-samba samba-dsdb-modules ldb-tools
          krb5-user python3-gssapi iproute2 util-linux)

have_all() {
  samba --version 2>/dev/null | grep -Eq 'Version 4\.(2[2-9]|[3-9][0-9])' || return 1
  for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1; done
}

if have_all; then
  echo "lab system packages: present ($(samba --version))"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "install-system-packages.sh: run as root (apt-get)" >&2
  exit 1
fi

list=/etc/apt/sources.list.d/backports.list
grep -qs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/* || \
  echo 'deb http://deb.debian.org/debian bookworm-backports main' > "$list"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends -t bookworm-backports "${packages[@]}"
echo "lab system packages: installed ($(samba --version))"

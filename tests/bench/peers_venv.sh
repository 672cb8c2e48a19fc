#!/usr/bin/env bash
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The peers' venv for tests/bench/bench_peers.py: impacket (dacledit.py) and bloodyAD, pinned, from PyPI.
# Usage: tests/bench/peers_venv.sh [DIR]  (default .build/peers); does nothing when DIR already holds both.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="${1:-$ROOT/.build/peers}"
PYTHON="${PYTHON:-python3.11}"
PINS=(impacket==0.13.1 bloodyAD==2.5.7)
STAMP="$DIR/.installed-$(printf '%s\n' "${PINS[@]}" | md5sum | cut -c1-8)"
[ -e "$STAMP" ] && exit 0
rm -rf "$DIR"
"$PYTHON" -m venv "$DIR"
"$DIR/bin/pip" install -q --disable-pip-version-check "${PINS[@]}"
touch "$STAMP"

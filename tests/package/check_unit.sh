#!/usr/bin/env bash
# systemd-analyze verify on the unit as written, before any package: the binary it names is
# pointed at the built one and the man page check is off (both come with the installed package,
# where the package test verifies the unit again without these two changes).
# Usage: check_unit.sh UNIT_FILE SERVER_BINARY
set -euo pipefail
unit=$1 binary=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s#^ExecStart=/usr/bin/chat_server#ExecStart=$binary#" "$unit" >"$work/chat-server.service"
grep -q "^ExecStart=$binary" "$work/chat-server.service" || { echo "the unit has no ExecStart=/usr/bin/chat_server"; exit 1; }
# verify exits 0 on some complaints (an unknown key, a value it cannot parse): any output fails.
output=$(systemd-analyze verify --man=no "$work/chat-server.service" 2>&1) || { echo "$output"; exit 1; }
[ -z "$output" ] || { echo "$output"; exit 1; }
echo "systemd-analyze verify: clean"

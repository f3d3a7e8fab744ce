#!/usr/bin/env bash
# Builds the .deb, installs it into this machine with dpkg -i (CI: root on a throwaway machine),
# checks its files, user and unit, runs the INSTALLED server as the chat user (a plain process, not
# through systemd) on a free port and chats with it, then removes and purges it and checks that
# nothing is left. Cleans up on any failure; a lock keeps two runs (two trees) from overlapping.
# Usage: package_test.sh BUILD_DIR. Exit 77 (skipped) when not root or the web client is not built.
set -euo pipefail

build_dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
package=chat-server
started=$SECONDS

say() { printf '[package_test %3ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || { echo "skipped: installing a package needs root"; exit 77; }
site=$(sed -n 's/^CHAT_PACKAGE_SITE_DIR:PATH=//p' "$build_dir/CMakeCache.txt")
[ -f "$site/index.html" ] || { echo "skipped: the web client is not built ($site); build the wasm tree"; exit 77; }

exec 9>/run/lock/chat-package-test.lock
flock -w 1800 9 || fail "another package test held the lock for 30 minutes"

# Present while this test has the package installed: a run killed too hard to clean up leaves it,
# and the next run may then purge that package. Any other chat-server here is an operator's.
ours=/run/lock/chat-package-test.installed
work=$(mktemp -d /tmp/chat-package-test.XXXXXX)
server_pid=
clean_up() {
  local status=$?
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -e "$ours" ]; then dpkg --purge "$package" >/dev/null 2>&1 && rm -f "$ours"; fi
  rm -rf "$work"
  exit "$status"
}
trap clean_up EXIT
trap "exit 143" TERM INT  # so that a stopped run still cleans up

installed() { dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -qx installed; }
if dpkg-query -W "$package" >/dev/null 2>&1; then
  [ -e "$ours" ] || fail "$package is installed here and not by this test: remove it, or run the test elsewhere"
  say "purging the $package an earlier run left"
  dpkg --purge "$package" >/dev/null
  rm -f "$ours"
fi

say "building the package"
cmake --build "$build_dir" --target package >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "the package target"; }
deb=$(ls -t "$build_dir"/packages/"$package"_*.deb | head -n 1)
say "built $(basename "$deb"): $(stat -c %s "$deb") bytes"

say "installing"
touch "$ours"
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
installed || fail "dpkg says $package is not installed"

unit=/usr/lib/systemd/system/chat-server.service
for file in /usr/bin/chat_server /usr/share/man/man1/chat_server.1.gz "$unit" /etc/chat/chat.conf \
            /usr/share/chat/web/index.html /usr/share/chat/web/chat_client.*.js /usr/share/chat/web/chat_client.*.wasm \
            /usr/share/chat/web/style.*.css /usr/share/chat/web/chat_client.*.wasm.gz; do
  [ -f "$file" ] || fail "$file is not installed"
done
[ -x /usr/bin/chat_server ] || fail "/usr/bin/chat_server is not executable"
getent passwd chat >/dev/null || fail "no system user chat"
[ "$(stat -c '%U:%G %a' /var/lib/chat)" = "chat:chat 750" ] || fail "/var/lib/chat is $(stat -c '%U:%G %a' /var/lib/chat)"
[ "$(stat -c '%U:%G %a' /etc/chat/chat.conf)" = "root:chat 640" ] || fail "chat.conf is $(stat -c '%U:%G %a' /etc/chat/chat.conf)"
grep -q '^#CHAT_LOG_FORMAT=$' /etc/chat/chat.conf || fail "chat.conf does not list CHAT_LOG_FORMAT"
[ -L /etc/systemd/system/multi-user.target.wants/chat-server.service ] || fail "the service is not enabled"
version=$(/usr/bin/chat_server --version)
[[ "$version" =~ ^chat_server\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ [0-9a-z-]+\)$ ]] || fail "--version printed '$version'"
say "files, user and enablement in place; $version"

# verify prints its complaints (unknown keys, a missing man page) but exits 0 for many of them.
verify=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify complained: $verify"
say "systemd-analyze verify: clean"

say "running the installed server as chat on a free port"
setpriv --reuid=chat --regid=chat --init-groups --inh-caps=-all \
  env CHAT_WEB_ROOT=/usr/share/chat/web CHAT_DATA_DIR=/var/lib/chat CHAT_LOG_FORMAT=json \
  /usr/bin/chat_server --port 0 >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
port=
for _ in $(seq 600); do  # up to 60 s for the line; it comes within milliseconds unless the machine is loaded
  port=$(sed -n 's#^listening on http://127\.0\.0\.1:\([0-9]*\)/$#\1#p' "$work/stdout")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/stderr"; fail "the installed server exited"; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/stderr"; fail "the installed server printed no listening line"; }
/usr/bin/python3 "$here/chat_check.py" "$port" /usr/share/chat/web || { cat "$work/stderr"; fail "chatting with the installed server"; }
kill -TERM "$server_pid"
wait "$server_pid" || { cat "$work/stderr"; fail "the installed server did not stop cleanly"; }
server_pid=
[ "$(stat -c %U /var/lib/chat/chat.db)" = chat ] || fail "the chat user did not write /var/lib/chat/chat.db"
say "chatted; the store is /var/lib/chat/chat.db, owned by chat"

say "removing"
dpkg -r "$package" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -r"; }
for file in /usr/bin/chat_server "$unit" /usr/share/chat /usr/share/man/man1/chat_server.1.gz; do
  [ ! -e "$file" ] || fail "$file is still there after dpkg -r"
done
[ -f /etc/chat/chat.conf ] || fail "dpkg -r removed the settings (only --purge should)"
dpkg --purge "$package" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg --purge"; }
for file in /etc/chat /var/lib/chat /etc/systemd/system/multi-user.target.wants/chat-server.service; do
  [ ! -e "$file" ] && [ ! -L "$file" ] || fail "$file is still there after dpkg --purge"
done
! getent passwd chat >/dev/null || fail "the chat user is still there after dpkg --purge"
! dpkg-query -W "$package" >/dev/null 2>&1 || fail "dpkg still knows $package after --purge"
rm -f "$ours"
say "removed and purged: nothing left. Took $((SECONDS - started)) s"

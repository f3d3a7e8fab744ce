#!/usr/bin/env bash
# Installs what is missing, builds, then runs the chat server in the foreground, serving the web
# client on http://127.0.0.1:8080/ by default. Any argument is passed to the server (--help lists them).
set -euo pipefail
source "$(dirname "$0")/toolchains/setup.sh"
chat_setup
exec "$CHAT_BUILD/native/server/chat_server" --web-root "$CHAT_BUILD/wasm/site" \
  --data-dir "${CHAT_DATA_DIR:-$CHAT_ROOT/data}" "$@"

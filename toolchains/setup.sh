#!/usr/bin/env bash
# Brings a machine of this kind (Debian bookworm) from nothing to built trees: installs the missing
# Debian and npm packages, unpacks Dear ImGui's sources, configures and builds native and wasm, and
# the test-only trees asan (sanitized tests and server) and fuzz (libFuzzer targets, clang).
# Idempotent and quick when everything is there. Sourced by ../run.sh and ../test.sh.
set -euo pipefail

CHAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHAT_BUILD="$CHAT_ROOT/build"

APT_PACKAGES=(
  cmake ninja-build g++ pkg-config dpkg-dev openssl help2man
  emscripten nodejs
  clang-14 libclang-rt-14-dev
  libwebsockets-dev libwebsockets-evlib-uv libssl-dev
  nlohmann-json3-dev libgtest-dev googletest libsqlite3-dev libicu-dev libsystemd-dev
  redis-server libhiredis-dev libuv1-dev
  libsodium-dev  # Argon2id for account passwords (crypto_pwhash_str)
  libimgui-dev fonts-dejavu-core
  # The browser tests' Chromium draws every script with the system's fonts (the client ships none):
  # CJK and Korean, colour emoji, and Noto for Arabic, Hebrew, Thai, Devanagari and the rest.
  fonts-noto-cjk fonts-noto-color-emoji fonts-noto-core
  chromium
  python3-websockets  # the package test chats with the installed server (for /usr/bin/python3)
)

# Minutes:seconds since the script began: a cold run's log then shows which step took the time.
elapsed() { printf '%d:%02d' $((SECONDS / 60)) $((SECONDS % 60)); }
log() { printf '[setup %s] %s\n' "$(elapsed)" "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
}

install_missing_debian_packages() {
  local missing=()
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  # The machine image may already carry a newer Node from elsewhere; only a missing npm matters.
  command -v npm >/dev/null || missing+=(npm)
  [ "${#missing[@]}" -eq 0 ] && return
  apt_update_once
  log "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Dear ImGui's core .cpp files are only in Debian's source package. apt-get source needs a deb-src
# entry: derive it from the machine's own Debian source list, so no mirror is named here.
enable_debian_sources() {
  if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src' /etc/apt/sources.list; then
    return
  fi
  local list=/etc/apt/sources.list.d/debian.sources
  [ -f "$list" ] || { log "no $list to derive a deb-src entry from"; return 1; }
  sed 's/^Types: deb$/Types: deb-src/' "$list" | as_root tee /etc/apt/sources.list.d/chat-deb-src.sources >/dev/null
  apt_updated=0
}

fetch_imgui_sources() {
  local dest="$CHAT_BUILD/third_party/imgui"
  [ -f "$dest/imgui.cpp" ] && return
  enable_debian_sources
  apt_update_once
  log "unpacking Dear ImGui sources (Debian source package imgui)"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source -qq imgui >/dev/null 2>&1)
  mkdir -p "$CHAT_BUILD/third_party"
  rm -rf "$dest"
  mv "$tmp"/imgui-*/ "$dest"
  rm -rf "$tmp"
}

install_npm_packages() {
  local dir="$CHAT_ROOT/tests/browser"
  [ -f "$dir/package.json" ] || return 0
  [ -d "$dir/node_modules/playwright-core" ] && return
  log "npm install (tests/browser)"
  (cd "$dir" && npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null)
}

configure_and_build() {
  local preset=$1
  if [ ! -f "$CHAT_BUILD/$preset/build.ninja" ]; then
    log "configuring $preset"
    cmake --preset "$preset" >/dev/null
  fi
  log "building $preset"
  cmake --build --preset "$preset" -- -j"$(nproc)" | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
  [ "${PIPESTATUS[0]}" -eq 0 ]
}

chat_setup() {
  install_missing_debian_packages
  fetch_imgui_sources
  install_npm_packages
  configure_and_build native
  configure_and_build wasm
}

#!/usr/bin/env bash
# The man page and the packaged settings are generated from --help at build time: checks that the
# page names every flag --help lists and the settings file every environment variable.
# Usage: check_docs.sh SERVER_BINARY MAN_PAGE(.1, groff) CHAT_CONF
set -euo pipefail
binary=$1 page=$2 conf=$3

help=$("$binary" --help)
# groff writes a dash as "\-": undo it to find the flags as --help prints them.
page_text=$(sed 's/\\-/-/g' "$page")
flags=$(grep -oE '^ +(-h, )?--[a-z][a-z-]*' <<<"$help" | grep -oE -- '--[a-z][a-z-]*')
variables=$(grep -oE '\[CHAT_[A-Z_]+\]$' <<<"$help" | tr -d '[]')
[ -n "$flags" ] && [ -n "$variables" ] || { echo "no flags or variables found in --help"; exit 1; }

missing=0
for flag in $flags; do
  grep -qE -- "(^|[^a-z-])$flag([^a-z-]|\$)" <<<"$page_text" || { echo "the man page lacks $flag"; missing=1; }
done
for variable in $variables; do
  grep -q "^#$variable=" "$conf" || { echo "chat.conf lacks $variable"; missing=1; }
  grep -qF "$variable" <<<"$page_text" || { echo "the man page lacks $variable"; missing=1; }
done
[ "$missing" -eq 0 ] && echo "man page and chat.conf list all $(wc -w <<<"$flags") flags and $(wc -w <<<"$variables") variables"
exit "$missing"

#!/usr/bin/env bash
# Debian packages some tests use: a real Redis for the session store, a CJK
# font so banners render Chinese, Chromium for the knowledge-base page.
# Installs only what is missing, only with root and apt; tests that need a
# missing one skip with the reason, so a developer machine without root
# still runs the rest.
set -euo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei fontconfig)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${need[*]} (not root or no apt): tests that need them will skip" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

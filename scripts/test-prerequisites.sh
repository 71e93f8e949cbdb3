#!/usr/bin/env bash
# Runs before the test suite: the browser tests need Debian's Chromium and the built web app.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's Chromium for the browser tests (about a minute)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium. Install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
    echo "or point CHROMIUM_PATH at a Chromium or Chrome binary." >&2
    exit 1
  fi
fi

echo "Building the web app for the browser tests..."
pnpm --filter @spar/web build >/dev/null

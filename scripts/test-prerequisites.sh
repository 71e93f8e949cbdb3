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

# The voice browser test's fake microphone says its words with espeak-ng.
if ! command -v espeak-ng >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's espeak-ng for the voice browser test..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null
  else
    echo "The voice browser test needs espeak-ng (Debian/Ubuntu: sudo apt-get install espeak-ng)." >&2
    exit 1
  fi
fi

# The tests of several server processes put Debian's nginx in front of them.
nginx="${NGINX_PATH:-/usr/sbin/nginx}"
if [ ! -x "$nginx" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's nginx for the multi-process tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  else
    echo "The multi-process tests need nginx (Debian/Ubuntu: sudo apt-get install nginx-light), or NGINX_PATH." >&2
    exit 1
  fi
fi

# The test of several server processes shares events through Redis on 127.0.0.1:6379. The
# project's machines run it; start it again if it has stopped and this is one of them.
if [ -z "${TEST_REDIS_URL:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v redis-server >/dev/null; then
    echo "Starting Redis on 127.0.0.1:6379 for the multi-process tests..."
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  else
    echo "Redis is not answering on 127.0.0.1:6379; the multi-process test will fail. Start it, or set TEST_REDIS_URL." >&2
  fi
fi

bash scripts/audit-dependencies.sh

echo "Building the web app for the browser tests..."
pnpm --filter @spar/web build >/dev/null

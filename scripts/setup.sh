#!/usr/bin/env bash
# Set up a working copy: a virtualenv in .venv with gongkai installed (editable).
#   bash scripts/setup.sh         # to build and preview the site
#   bash scripts/setup.sh --test  # also the test tools: Debian's chromium and CJK fonts
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras=""
[ "$want_test" = 1 ] && extras="[test]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"

if [ "$want_test" = 1 ]; then
  # Browser tests drive Debian's chromium through Playwright (no browser download);
  # fonts-noto-cjk so Chinese renders in screenshots instead of boxes.
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
  command -v java >/dev/null || missing="$missing default-jre-headless"  # the W3C Nu checker (vnu.jar)
  if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
  fi
  # axe-core for the accessibility checks in the browser tests (pinned; from the npm registry).
  AXE_VERSION=4.10.3
  if ! grep -q "\"version\": \"$AXE_VERSION\"" .cache/axe/node_modules/axe-core/package.json 2>/dev/null; then
    command -v npm >/dev/null || { SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"; $SUDO apt-get update -q; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends npm; }
    npm install --silent --no-audit --no-fund --prefix .cache/axe "axe-core@$AXE_VERSION"
  fi
fi

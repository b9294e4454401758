# shellcheck shell=bash
#
# Headless Chromium, chromedriver and axe-core for the browser tests
# (crates/web/tests/browser.rs). Source this file, then:
#
#   browser_ensure   # chromium and chromedriver (Debian's chromium, chromium-driver; installed
#                    # with apt-get when missing and we are root), axe-core from npm into
#                    # TARGET/browser-node; exports DEFCOOP_CHROMIUM, DEFCOOP_CHROMEDRIVER and
#                    # DEFCOOP_AXE_JS for the tests
#
# Or run it directly (`scripts/browser-ensure.sh`): it installs what is missing and prints the
# exports to paste into a shell, e.g. `eval "$(scripts/browser-ensure.sh)"`.
#
# Needs npm: scripts/test runs node_ensure (scripts/node-ensure.sh) first, and so does this
# script when run directly. TARGET is CARGO_TARGET_DIR, else ./target of the
# workspace.

# The axe-core the tests inject; bump it deliberately (new rules may find new violations).
DEFCOOP_AXE_VERSION=4.14.1

_browser_say() { printf '==> %s\n' "$*" >&2; }
_browser_err() { printf 'error: %s\n' "$*" >&2; }

_browser_root() { cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd; }

_browser_find() {
  local name
  for name in "$@"; do
    if [ -x "/usr/bin/$name" ]; then
      printf '%s' "/usr/bin/$name"
      return 0
    fi
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

# apt-get install the packages; apt-get update first only when the install fails.
_browser_apt() {
  if [ "$(id -u)" -ne 0 ]; then
    _browser_err "missing: $* (the browser tests drive headless Chromium)."
    _browser_err "Install them (Debian: apt-get install $*), or run scripts/test as root to have it done."
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    _browser_err "missing: $* and apt-get is unavailable; install Chromium and its chromedriver."
    return 1
  fi
  _browser_say "apt-get install $*"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" </dev/null >&2; then
    _browser_say "install failed; apt-get update, then again"
    DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >&2 || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" </dev/null >&2 || return 1
  fi
}

browser_ensure() {
  local missing=() chromium driver root target dir axe
  _browser_find chromium chromium-browser >/dev/null || missing+=(chromium)
  _browser_find chromedriver >/dev/null || missing+=(chromium-driver)
  if [ "${#missing[@]}" -gt 0 ]; then
    _browser_apt "${missing[@]}" || return 1
  fi
  chromium=$(_browser_find chromium chromium-browser) || {
    _browser_err "installed chromium but cannot find it on PATH"
    return 1
  }
  driver=$(_browser_find chromedriver) || {
    _browser_err "installed chromium-driver but cannot find chromedriver on PATH"
    return 1
  }

  root=$(_browser_root) || return 1
  target=${CARGO_TARGET_DIR:-$root/target}
  dir=$target/browser-node
  axe=$dir/node_modules/axe-core/axe.min.js
  if ! grep -qs "\"version\": \"$DEFCOOP_AXE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then
    if ! command -v npm >/dev/null 2>&1; then
      _browser_err "npm not found: it installs axe-core (source scripts/node-ensure.sh and run node_ensure)"
      return 1
    fi
    _browser_say "npm install axe-core@$DEFCOOP_AXE_VERSION into $dir"
    mkdir -p -- "$dir" || return 1
    npm install --no-audit --no-fund --no-save --prefix "$dir" "axe-core@$DEFCOOP_AXE_VERSION" >&2 </dev/null || return 1
  fi
  if [ ! -s "$axe" ]; then
    _browser_err "npm installed axe-core but $axe is missing"
    return 1
  fi

  export DEFCOOP_CHROMIUM=$chromium
  export DEFCOOP_CHROMEDRIVER=$driver
  export DEFCOOP_AXE_JS=$axe
}

# Run directly: install, then print the exports.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  # shellcheck source=scripts/node-ensure.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/node-ensure.sh"
  node_ensure >&2
  browser_ensure
  printf 'export DEFCOOP_CHROMIUM=%q\n' "$DEFCOOP_CHROMIUM"
  printf 'export DEFCOOP_CHROMEDRIVER=%q\n' "$DEFCOOP_CHROMEDRIVER"
  printf 'export DEFCOOP_AXE_JS=%q\n' "$DEFCOOP_AXE_JS"
fi

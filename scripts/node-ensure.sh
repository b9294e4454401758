# shellcheck shell=bash
#
# Node.js for the test suite: the web tests run real OpenID providers (oidc-provider, from
# npm) on loopback. Source this file, then:
#
#   node_ensure   # node and npm on PATH, or installed with apt-get when we are root;
#                 # else fails saying what to install
#
# The tests install oidc-provider@9 themselves into TARGET/oidc-node when it is missing.

_node_say() { printf '==> %s\n' "$*"; }
_node_err() { printf 'error: %s\n' "$*" >&2; }

node_ensure() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    _node_err "node and npm not found: the web tests run oidc-provider (npm) as identity providers."
    _node_err "Install them (Debian: apt-get install nodejs npm), or run scripts/test as root to have it done."
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    _node_err "node and npm not found and apt-get is unavailable; install Node.js (with npm)."
    return 1
  fi
  _node_say "node or npm not found: apt-get install nodejs npm"
  DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm </dev/null || return 1
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    _node_err "installed nodejs and npm but still cannot find node and npm on PATH"
    return 1
  fi
}

# shellcheck shell=bash
#
# Throwaway PostgreSQL cluster for the test suite. Source this file, then:
#
#   pg_throwaway_start   # starts a private cluster on 127.0.0.1:<free port> and
#                        # exports DEFCOOP_TEST_PG=postgres://postgres@127.0.0.1:<port>/postgres
#   pg_throwaway_stop    # stops it and deletes its directory (idempotent, never fails)
#
# The cluster lives in a fresh `mktemp -d` directory (data, log, unix socket) and
# is tuned for speed, not durability (fsync/full_page_writes/synchronous_commit
# off). Authentication is `trust`; it listens on 127.0.0.1 only.
#
# initdb refuses to run as root, so when we are root the cluster is owned by
# and run as the `postgres` OS user (or a `defcoop-pg` system user created on
# demand). If no PostgreSQL server binaries are found and we are root, the
# Debian `postgresql` package is installed with apt-get.

PG_THROWAWAY_DIR=""     # temp dir: data/, postgres.log, initdb.log, unix socket
PG_THROWAWAY_PORT=""    # TCP port on 127.0.0.1
PG_THROWAWAY_USER=""    # OS user owning the cluster (empty: the current user)
PG_THROWAWAY_INITDB=""  # path of initdb
PG_THROWAWAY_PG_CTL=""  # path of pg_ctl (same installation as initdb)

_pgt_say() { printf '==> %s\n' "$*"; }
_pgt_err() { printf 'error: %s\n' "$*" >&2; }
_pgt_is_root() { [ "$(id -u)" -eq 0 ]; }

# Locate initdb/pg_ctl: initdb on PATH first, else the newest
# /usr/lib/postgresql/<version>/bin. Returns 1 if not found.
_pgt_find_binaries() {
  local initdb="" bindir d v best=-1
  if initdb=$(command -v initdb 2>/dev/null); then
    initdb=$(readlink -f "$initdb")
  else
    initdb=""
    for d in /usr/lib/postgresql/*/bin; do
      [ -x "$d/initdb" ] || continue
      v=${d#/usr/lib/postgresql/}
      v=${v%%/*}
      v=${v%%.*}
      [[ $v =~ ^[0-9]+$ ]] || continue
      if ((v > best)); then
        best=$v
        initdb=$d/initdb
      fi
    done
  fi
  [ -n "$initdb" ] || return 1
  bindir=$(dirname "$initdb")
  if [ -x "$bindir/pg_ctl" ]; then
    PG_THROWAWAY_PG_CTL=$bindir/pg_ctl
  elif PG_THROWAWAY_PG_CTL=$(command -v pg_ctl 2>/dev/null); then
    :
  else
    return 1
  fi
  PG_THROWAWAY_INITDB=$initdb
}

_pgt_ensure_binaries() {
  _pgt_find_binaries && return 0
  if ! _pgt_is_root; then
    _pgt_err "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin."
    _pgt_err "Install them (Debian: apt-get install postgresql) or point DEFCOOP_TEST_PG at a server: postgres://USER@HOST:PORT/postgres (superuser)."
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    _pgt_err "PostgreSQL server binaries not found and apt-get is unavailable; install PostgreSQL or set DEFCOOP_TEST_PG."
    return 1
  fi
  _pgt_say "PostgreSQL server not found: apt-get install postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql </dev/null || return 1
  if ! _pgt_find_binaries; then
    _pgt_err "installed the postgresql package but still cannot find initdb/pg_ctl"
    return 1
  fi
}

# As root: pick (or create) the unprivileged OS user that will own the cluster.
_pgt_ensure_user() {
  PG_THROWAWAY_USER=""
  _pgt_is_root || return 0
  local u
  for u in postgres defcoop-pg; do
    if id -u "$u" >/dev/null 2>&1; then
      PG_THROWAWAY_USER=$u
      return 0
    fi
  done
  _pgt_say "creating system user defcoop-pg (initdb cannot run as root)"
  if ! useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin defcoop-pg; then
    _pgt_err "no 'postgres' user and could not create 'defcoop-pg' with useradd"
    return 1
  fi
  PG_THROWAWAY_USER=defcoop-pg
}

# Run a command as the cluster owner, from inside the cluster directory (the
# owner may not be allowed to read the caller's working directory).
_pgt_run() {
  if [ -z "$PG_THROWAWAY_USER" ]; then
    (cd "$PG_THROWAWAY_DIR" && "$@")
  elif command -v runuser >/dev/null 2>&1; then
    (cd "$PG_THROWAWAY_DIR" && runuser -u "$PG_THROWAWAY_USER" -- "$@")
  else
    (cd "$PG_THROWAWAY_DIR" && su "$PG_THROWAWAY_USER" -s /bin/bash -c "$(printf '%q ' "$@")")
  fi
}

# Make the temp dir. As root it is chowned to the cluster owner, who must be
# able to reach it; a long or unreachable $TMPDIR falls back to /tmp (the unix
# socket path must stay under ~100 bytes).
_pgt_make_dir() {
  local base
  for base in "${TMPDIR:-/tmp}" /tmp; do
    PG_THROWAWAY_DIR=$(mktemp -d "$base/defcoop-pg.XXXXXX") || continue
    if [ "${#PG_THROWAWAY_DIR}" -le 80 ]; then
      if [ -z "$PG_THROWAWAY_USER" ]; then
        return 0
      fi
      chown "$PG_THROWAWAY_USER": "$PG_THROWAWAY_DIR" && chmod 700 "$PG_THROWAWAY_DIR" &&
        _pgt_run test -w "$PG_THROWAWAY_DIR" 2>/dev/null && return 0
    fi
    rm -rf "$PG_THROWAWAY_DIR"
    PG_THROWAWAY_DIR=""
  done
  _pgt_err "could not create a temp directory usable by ${PG_THROWAWAY_USER:-$(id -un)}"
  return 1
}

_pgt_pick_port() {
  local p i
  if command -v python3 >/dev/null 2>&1 &&
    p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) &&
    [[ $p =~ ^[0-9]+$ ]]; then
    PG_THROWAWAY_PORT=$p
    return 0
  fi
  # No python: random port below the ephemeral range with nothing listening on it.
  for ((i = 0; i < 100; i++)); do
    p=$((15000 + RANDOM % 15000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      PG_THROWAWAY_PORT=$p
      return 0
    fi
  done
  _pgt_err "could not find a free TCP port on 127.0.0.1"
  return 1
}

_pgt_initdb() {
  local locale
  for locale in C.UTF-8 C; do
    rm -rf "$PG_THROWAWAY_DIR/data"
    if _pgt_run "$PG_THROWAWAY_INITDB" -D "$PG_THROWAWAY_DIR/data" -A trust -U postgres \
      --no-sync -E UTF8 --locale="$locale" >"$PG_THROWAWAY_DIR/initdb.log" 2>&1; then
      return 0
    fi
  done
  _pgt_err "initdb failed; last lines of its output:"
  tail -n 30 "$PG_THROWAWAY_DIR/initdb.log" >&2 || true
  return 1
}

pg_throwaway_start() {
  if [ -n "$PG_THROWAWAY_DIR" ]; then
    _pgt_err "pg_throwaway_start: a throwaway cluster is already running in $PG_THROWAWAY_DIR"
    return 1
  fi
  _pgt_ensure_binaries || return 1
  _pgt_ensure_user || return 1
  _pgt_make_dir || return 1
  local dir=$PG_THROWAWAY_DIR attempt
  _pgt_say "initdb $dir/data ($PG_THROWAWAY_INITDB, as ${PG_THROWAWAY_USER:-$(id -un)})"
  if ! _pgt_initdb; then
    pg_throwaway_stop
    return 1
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF

# defcoop throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  # The port is passed on the command line so a port that got taken between
  # picking and binding can be retried with another one.
  for attempt in 1 2 3 4 5; do
    if ! _pgt_pick_port; then
      pg_throwaway_stop
      return 1
    fi
    _pgt_say "starting throwaway PostgreSQL on 127.0.0.1:$PG_THROWAWAY_PORT"
    if _pgt_run "$PG_THROWAWAY_PG_CTL" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $PG_THROWAWAY_PORT" start >/dev/null; then
      export DEFCOOP_TEST_PG="postgres://postgres@127.0.0.1:$PG_THROWAWAY_PORT/postgres"
      return 0
    fi
    grep -q -e 'could not bind' -e 'Address already in use' "$dir/postgres.log" 2>/dev/null || break
    _pgt_say "port $PG_THROWAWAY_PORT is taken, retrying (attempt $attempt)"
  done
  _pgt_err "the throwaway PostgreSQL cluster failed to start; last lines of its log:"
  tail -n 30 "$dir/postgres.log" >&2 || true
  pg_throwaway_stop
  return 1
}

pg_throwaway_stop() {
  local dir=$PG_THROWAWAY_DIR pid
  [ -n "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    _pgt_say "stopping throwaway PostgreSQL on 127.0.0.1:$PG_THROWAWAY_PORT"
    _pgt_run "$PG_THROWAWAY_PG_CTL" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    # Last resort: kill the postmaster we started (children exit when it dies).
    if [ -f "$dir/data/postmaster.pid" ]; then
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      if [[ $pid =~ ^[0-9]+$ ]]; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -rf "$dir" || true
  if [ "${DEFCOOP_TEST_PG:-}" = "postgres://postgres@127.0.0.1:$PG_THROWAWAY_PORT/postgres" ]; then
    unset DEFCOOP_TEST_PG
  fi
  PG_THROWAWAY_DIR=""
  PG_THROWAWAY_PORT=""
  return 0
}

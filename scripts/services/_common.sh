# Shared helpers for scripts/services/*; sourced, not run.
# Messages go to stderr so that stdout carries only `status` output and the URL.
set -euo pipefail
umask 022

NAME="$(basename "$0")"
SERVICES_DIR="$(realpath -m "${ZHIKU_SERVICES_DIR:-$HOME/.cache/zhiku/services}")"
# shellcheck disable=SC2034 # used by the scripts that source this file
CACHE_DIR="$(realpath -m "${ZHIKU_CACHE_DIR:-$HOME/.cache/zhiku}")"
STATE_DIR="$SERVICES_DIR/$NAME"
mkdir -p "$STATE_DIR"
cd /   # any cwd works, and service users can always enter /

log() { echo "[$NAME] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_root() { [ "$(id -u)" = 0 ] || die "must run as root (installs packages, runs the server as another user)"; }

# apt_install PKG...: install the packages that are missing, without letting
# their maintainer scripts start a system-wide instance of the service.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  require_root
  log "installing ${missing[*]} (apt)"
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' >$policy; chmod +x $policy; made_policy=1; fi
  local rc=0 aptlog="$STATE_DIR/install.log"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$aptlog" 2>&1 || rc=$?
  [ -z "$made_policy" ] || rm -f $policy
  [ $rc -eq 0 ] || { tail -n 30 "$aptlog" >&2; die "apt-get install ${missing[*]} failed (log: $aptlog)"; }
}

# Files that the server process itself writes (data, logs, sockets) go to
# USER_DIR, owned by the service's OS user. That is the state dir if every user
# can reach it; but the default one is under /root (mode 700), which other users
# cannot traverse, so then the same path is mirrored under /var/tmp (reachable
# by everyone, kept across reboots) and the state dir gets a `home` link to it.
USER_DIR="$STATE_DIR"
if [ "$(id -u)" = 0 ] && ! runuser -u nobody -- test -x "$STATE_DIR"; then
  USER_DIR="/var/tmp/zhiku-services$STATE_DIR"
fi
own_user_dir() {
  mkdir -p "$USER_DIR"
  chown "$1:" "$USER_DIR"
  [ "$USER_DIR" = "$STATE_DIR" ] || ln -sfn "$USER_DIR" "$STATE_DIR/home"
}

# pid_alive PIDFILE PATTERN: the pid in PIDFILE runs a command matching PATTERN.
# Not just `kill -0`: a stale pidfile's pid may be reused after a reboot, and an
# exited daemon may linger as a zombie (empty cmdline) where pid 1 does not reap.
pid_alive() { pid_matches "$(head -n1 "$1" 2>/dev/null)" "$2"; }
pid_matches() { [ -n "$1" ] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "$2"; }

# wait_for TIMEOUT WHAT LOGFILE CMD...: poll CMD until it succeeds. Gives up
# early if the script's is_running says the server died (after a grace period:
# a daemon writes its pidfile a moment after it forked). On failure prints the
# log tail and exits 1.
wait_for() {
  local timeout=$1 what=$2 logfile=$3; shift 3
  local deadline=$((SECONDS + timeout)) grace=$((SECONDS + 3))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $grace ] && ! is_running; then
      log "ERROR: $what: the server exited during startup"
    elif [ $SECONDS -ge $deadline ]; then
      log "ERROR: $what: no answer after ${timeout}s"
    else
      sleep 0.5; continue
    fi
    log "last lines of $logfile:"
    tail -n 30 "$logfile" >&2 || true
    exit 1
  done
}

# stop_pid PIDFILE PATTERN: SIGTERM the server and wait until it is gone (by
# pid: servers delete their pidfile before they have quite exited).
stop_pid() {
  local pid i
  pid=$(head -n1 "$1")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 120; i++)); do
    pid_matches "$pid" "$2" || { rm -f "$1"; return 0; }
    sleep 0.5
  done
  log "still running after 60s, killing $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

# main: the scripts define URL and the hooks do_install (idempotent, cheap once
# done), is_running, do_start (launch), wait_ready, do_stop, and optionally after_start.
main() {
  case "${1:-}" in
    start)
      do_install
      if is_running; then log "already running"; else do_start; fi
      wait_ready
      if declare -F after_start >/dev/null; then after_start; fi
      log "ready"
      echo "$URL" ;;
    stop)
      if is_running; then do_stop; log "stopped"; else log "not running"; fi ;;
    status)
      if is_running; then echo running; else echo stopped; exit 3; fi ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
  esac
}

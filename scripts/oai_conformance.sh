#!/usr/bin/env bash
# OAI-PMH conformance: serve the demo data on a free loopback port from a temporary instance, run the
# shared checker (../shared/tools/oai/oai_check.py) against /oai, stop the server, exit with the checker's
# status (0 = no failures). Usage: scripts/oai_conformance.sh [extra oai_check.py arguments]
# Environment: PYTHON (default .venv/bin/python), ZHIKU (default .venv/bin/zhiku), OAI_CHECK (checker path),
# OAI_PAGE_SIZE (default 3, so that the demo's few records span several pages and tokens are exercised).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
ZHIKU="${ZHIKU:-$ROOT/.venv/bin/zhiku}"
OAI_CHECK="${OAI_CHECK:-$ROOT/../shared/tools/oai/oai_check.py}"
if [ ! -f "$OAI_CHECK" ]; then
    echo "oai_conformance: checker not found at $OAI_CHECK" >&2
    exit 2
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/zhiku-oai-XXXXXX")"
PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/inst"
printf 'ZHIKU_OAI_PAGE_SIZE = %s\n' "${OAI_PAGE_SIZE:-3}" > "$WORK/inst/zhiku.cfg"
(cd "$WORK" && ZHIKU_INSTANCE_PATH="$WORK/inst" exec "$ZHIKU" demo --host 127.0.0.1 --port "$PORT") \
    > "$WORK/server.log" 2>&1 &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT/oai"
for _ in $(seq 1 120); do
    if "$PYTHON" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '?verb=Identify', timeout=2)" "$BASE" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "oai_conformance: the demo server exited; its log:" >&2
        cat "$WORK/server.log" >&2
        exit 2
    fi
    sleep 0.5
done

"$PYTHON" "$OAI_CHECK" "$BASE" "$@"
STATUS=$?
exit $STATUS

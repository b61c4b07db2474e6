#!/usr/bin/env bash
# npm run bench -- <scenario>: the generator on CPU 1 (servers pin themselves to CPU 0), with
# enough file descriptors for thousands of sockets.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec taskset -c 1 node --max-old-space-size=8192 --import tsx bench/run.ts "$@"

#!/bin/bash
# The container's HEALTHCHECK: GET /healthz on minyi's --http address, healthy on 200.
# The slim runtime image has no curl; bash's /dev/tcp makes the one HTTP/1.0 request this
# needs, so the image carries no HTTP client (and no libcurl) just for a health check.
# Usage: healthcheck.sh [HOST] [PORT] [PATH]   (defaults 127.0.0.1 9184 /healthz)
set -euo pipefail
host="${1:-127.0.0.1}"
port="${2:-9184}"
path="${3:-/healthz}"
exec 3<>"/dev/tcp/$host/$port"
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
IFS= read -r -t 5 status <&3
exec 3<&-
case "$status" in
    "HTTP/1."[01]" 200"*) exit 0 ;;
    *) echo "unhealthy: ${status%$'\r'}" >&2; exit 1 ;;
esac

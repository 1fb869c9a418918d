#!/usr/bin/env bash
# deploy/package.sh: build minyi's Debian package, install it on this machine and check what
# can be checked here without systemd as PID 1 and without a Docker daemon:
#   - the package: built with cargo-deb, its contents and conffiles, installed with dpkg, the
#     minyi user and the permissions its postinst sets;
#   - the systemd units (systemd-analyze verify, and the offline security score);
#   - the Prometheus rules and their unit tests, the scrape configuration (promtool);
#   - the nginx site (nginx -t in a temporary configuration with a self-signed certificate);
#   - the compose file (Debian's docker-compose config);
#   - the installed binary against the built-in Bot API sandbox (`minyi sandbox`): migrate and
#     `minyi check` on a fresh SQLite file, `minyi run --http` serving /healthz, /readyz and
#     /metrics (promtool check metrics), the container's health check script, the nginx site
#     in front of a webhook-mode replica, the image's ENTRYPOINT, the backup wrapper, and on a
#     local PostgreSQL (if one answers on 127.0.0.1:5432) migrate-data and the pg_dump backup.
# Every check prints PASS, FAIL or SKIP with what it checked; the script exits 1 if any failed.
# It runs as root (dpkg, apt-get). Processes and files it starts or makes are cleaned up at exit;
# the installed package stays installed.
#
# Usage: deploy/package.sh [--no-build]   (--no-build: install the newest target/debian/*.deb)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

build=1
for arg in "$@"; do
    case "$arg" in
        --no-build) build=0 ;;
        -h | --help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
if [[ "$(id -u)" != 0 ]]; then
    echo "run as root (it installs packages with apt-get and dpkg)" >&2
    exit 2
fi

# ---------------------------------------------------------------------------------------------
# Bookkeeping

results=()
record() { # STATUS NAME DETAIL
    results+=("$(printf '%-4s  %-44s %s' "$1" "$2" "${3:-}")")
    printf '  %s: %s%s\n' "$1" "$2" "${3:+ ($3)}"
}
pass() { record PASS "$@"; }
fail() { record FAIL "$@"; }
skip() { record SKIP "$@"; }
expect() { # WANTED ACTUAL NAME
    if [[ "$2" == "$1" ]]; then pass "$3" "$2"; else fail "$3" "$2, expected $1"; fi
}
step() { printf '\n==> %s\n' "$*"; }
indent() { sed 's/^/    | /'; }

tmp="$(mktemp -d /tmp/minyi-package.XXXXXX)"
chmod 0755 "$tmp"
bg_pids=()
nginx_pidfile=""
policy_rc_made=0
pg_db=""
env_file_made=0

cleanup() {
    local pid
    for pid in "${bg_pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    if [[ -n "$nginx_pidfile" && -s "$nginx_pidfile" ]]; then
        kill -QUIT "$(cat "$nginx_pidfile")" 2>/dev/null || true
        sleep 0.5
    fi
    if [[ -n "$pg_db" ]]; then
        psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
    fi
    if [[ "$policy_rc_made" == 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
    fi
    if [[ "$env_file_made" == 1 ]]; then
        rm -f /etc/minyi/minyi.env
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# Starts a command in the background, output to a file; remembers its pid for cleanup.
start_bg() { # LOGFILE CMD...
    local log="$1"
    shift
    "$@" >"$log" 2>&1 &
    bg_pids+=("$!")
    last_pid=$!
}
# Stops a background command with SIGTERM; sets stopped_rc to its exit code (or 124 on timeout).
stop_bg() { # PID SECONDS
    local pid="$1" limit="${2:-15}"
    stopped_rc=124
    kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null && stopped_rc=0 || stopped_rc=$?; return; }
    for _ in $(seq 1 $((limit * 5))); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null && stopped_rc=0 || stopped_rc=$?
            return
        fi
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
http_code() { # URL [curl args]
    local url="$1"
    shift
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" || true
}
wait_http_200() { # URL SECONDS PID
    local url="$1" limit="$2" pid="$3"
    for _ in $(seq 1 $((limit * 4))); do
        [[ "$(http_code "$url")" == 200 ]] && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.25
    done
    return 1
}
# Runs a command as the minyi user, as minyi.service would: no capabilities, no new
# privileges, umask 0077.
as_minyi() {
    (umask 0077 && exec setpriv --reuid=minyi --regid=minyi --init-groups --no-new-privs \
        --bounding-set=-all --inh-caps=-all -- "$@")
}
# The same in the background, in folder DIR; every step execs, so the pid is minyi's own and
# SIGTERM reaches it.
start_bg_as_minyi() { # LOGFILE DIR CMD...
    local log="$1" dir="$2"
    shift 2
    start_bg "$log" bash -c 'cd "$1" && umask 0077 && shift && exec setpriv --reuid=minyi --regid=minyi \
        --init-groups --no-new-privs --bounding-set=-all --inh-caps=-all -- "$@"' bash "$dir" "$@"
}

# ---------------------------------------------------------------------------------------------
step "Tools: cargo-deb, promtool (Debian's prometheus), nginx, docker-compose, openssl, curl"

need_apt=()
command -v promtool >/dev/null || need_apt+=(prometheus)
command -v nginx >/dev/null || need_apt+=(nginx)
command -v docker-compose >/dev/null || need_apt+=(docker-compose)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v curl >/dev/null || need_apt+=(curl)
command -v python3 >/dev/null || need_apt+=(python3)
command -v setpriv >/dev/null || need_apt+=(util-linux)
command -v systemd-analyze >/dev/null || need_apt+=(systemd)
if ((${#need_apt[@]})); then
    echo "  installing from Debian: ${need_apt[*]}"
    # Keep the packages' services (prometheus, nginx) from starting on a machine with systemd.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        policy_rc_made=1
    fi
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${need_apt[@]}" >"$tmp/apt.log" 2>&1 || {
        tail -20 "$tmp/apt.log" | indent
        echo "apt-get install failed" >&2
        exit 1
    }
    if [[ "$policy_rc_made" == 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
        policy_rc_made=0
    fi
fi
if ! command -v cargo-deb >/dev/null; then
    echo "  installing cargo-deb from crates.io"
    cargo install cargo-deb --locked
fi
echo "  $(cargo deb --version)"
echo "  $(promtool --version 2>&1 | head -n 1)"
echo "  $(nginx -v 2>&1)"
echo "  $(docker-compose version 2>/dev/null | head -n 1)"
echo "  $(systemd-analyze --version | head -n 1)"

# ---------------------------------------------------------------------------------------------
step "Build the Debian package (cargo deb --locked: a release build)"

if [[ "$build" == 1 ]]; then
    if cargo deb --locked >"$tmp/cargo-deb.log" 2>&1; then
        grep -v '^\s*Compiling ' "$tmp/cargo-deb.log" | tail -n 8 | indent
    else
        tail -n 40 "$tmp/cargo-deb.log" | indent
        fail "cargo deb" "the build failed"
        exit 1
    fi
fi
deb="$(ls -t target/debian/minyi_*.deb 2>/dev/null | head -n 1 || true)"
if [[ -z "$deb" ]]; then
    fail "cargo deb" "no target/debian/minyi_*.deb"
    exit 1
fi
pass "cargo deb" "$deb, $(du -h "$deb" | cut -f1)"

dpkg-deb --info "$deb" | indent
dpkg-deb --contents "$deb" | awk '{print $1, $2, $NF}' | indent
contents="$(dpkg-deb --contents "$deb")"
missing=()
for f in ./usr/bin/minyi ./etc/minyi/minyi.toml ./usr/sbin/minyi-admin ./usr/libexec/minyi/minyi-backup \
    ./usr/lib/systemd/system/minyi.service ./usr/lib/systemd/system/minyi-backup.service \
    ./usr/lib/systemd/system/minyi-backup.timer ./usr/share/doc/minyi/OPERATIONS.md; do
    grep -q " $f\$" <<<"$contents" || missing+=("$f")
done
if ((${#missing[@]})); then fail "package contents" "missing: ${missing[*]}"; else pass "package contents" "binary, config, units, helpers, guide"; fi
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$tmp/conffiles" 2>/dev/null || true
if grep -qx /etc/minyi/minyi.toml "$tmp/conffiles"; then
    pass "conffiles" "$(tr '\n' ' ' <"$tmp/conffiles")"
else
    fail "conffiles" "/etc/minyi/minyi.toml is not a conffile"
fi

# ---------------------------------------------------------------------------------------------
step "Install it with dpkg"

if dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
    indent <"$tmp/dpkg.log"
    pass "dpkg -i" "$(dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}' minyi)"
else
    indent <"$tmp/dpkg.log"
    fail "dpkg -i" "see above"
    exit 1
fi
echo "  installed binary: $(/usr/bin/minyi --version 2>&1)"
if getent passwd minyi >/dev/null; then
    pass "postinst: minyi system user" "$(getent passwd minyi)"
else
    fail "postinst: minyi system user" "no user minyi"
fi
perm_conf="$(stat -c '%U:%G %a' /etc/minyi/minyi.toml)"
perm_state="$(stat -c '%U:%G %a' /var/lib/minyi)"
if [[ "$perm_conf" == "root:minyi 640" && "$perm_state" == "minyi:minyi 750" ]]; then
    pass "postinst: permissions" "/etc/minyi/minyi.toml $perm_conf, /var/lib/minyi $perm_state"
else
    fail "postinst: permissions" "/etc/minyi/minyi.toml $perm_conf, /var/lib/minyi $perm_state"
fi
if [[ -L /etc/systemd/system/timers.target.wants/minyi-backup.timer &&
    ! -e /etc/systemd/system/multi-user.target.wants/minyi.service ]]; then
    pass "units enabled as intended" "minyi-backup.timer enabled; minyi.service left for the operator"
else
    fail "units enabled as intended" "$(ls /etc/systemd/system/*.wants/ 2>/dev/null | tr '\n' ' ')"
fi
if out="$(minyi-admin --version 2>"$tmp/admin.err")" && [[ "$out" == minyi* ]]; then
    pass "minyi-admin (runs minyi as the minyi user)" "$out"
else
    fail "minyi-admin (runs minyi as the minyi user)" "$out $(cat "$tmp/admin.err")"
fi

# ---------------------------------------------------------------------------------------------
step "systemd-analyze verify on the installed unit files"

units=(/usr/lib/systemd/system/minyi.service /usr/lib/systemd/system/minyi-backup.service
    /usr/lib/systemd/system/minyi-backup.timer)
if systemd-analyze verify "${units[@]}" >"$tmp/verify.log" 2>&1; then
    indent <"$tmp/verify.log"
    pass "systemd-analyze verify" "minyi.service minyi-backup.service minyi-backup.timer"
else
    indent <"$tmp/verify.log"
    fail "systemd-analyze verify" "see above"
fi
if systemd-analyze security --offline=true /usr/lib/systemd/system/minyi.service >"$tmp/security.log" 2>&1; then
    grep -E 'Overall exposure' "$tmp/security.log" | indent
    pass "systemd-analyze security (minyi.service)" "$(grep -oE 'exposure level for .*' "$tmp/security.log" | head -n 1)"
else
    tail -n 5 "$tmp/security.log" | indent
    skip "systemd-analyze security" "this systemd cannot score offline"
fi

# ---------------------------------------------------------------------------------------------
step "Prometheus: rules, their unit tests, the scrape configuration"

if promtool check rules deploy/prometheus/alerts.yml 2>&1 | indent; then pass "promtool check rules" "deploy/prometheus/alerts.yml"; else fail "promtool check rules"; fi
if (cd deploy/prometheus && promtool test rules alerts.test.yml) 2>&1 | indent; then pass "promtool test rules" "deploy/prometheus/alerts.test.yml"; else fail "promtool test rules"; fi
if promtool check config deploy/prometheus/prometheus.yml 2>&1 | indent; then pass "promtool check config" "deploy/prometheus/prometheus.yml"; else fail "promtool check config"; fi

# ---------------------------------------------------------------------------------------------
step "nginx -t on deploy/nginx/minyi.conf (temporary nginx.conf, self-signed certificate)"

mkdir -p "$tmp/nginx/tls" "$tmp/nginx/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bot.example.org" \
    -keyout "$tmp/nginx/tls/minyi.key" -out "$tmp/nginx/tls/minyi.crt" >/dev/null 2>&1
sed -e "s|/etc/nginx/tls/|$tmp/nginx/tls/|g" deploy/nginx/minyi.conf >"$tmp/nginx/site.conf"
write_nginx_conf() { # SITE
    cat >"$tmp/nginx/nginx.conf" <<EOF
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $1;
}
EOF
}
write_nginx_conf "$tmp/nginx/site.conf"
if nginx -t -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>&1 | indent; then
    pass "nginx -t" "the site as shipped, certificate paths pointed at a self-signed pair"
else
    fail "nginx -t"
fi

# ---------------------------------------------------------------------------------------------
step "docker-compose config on deploy/docker-compose.yml (no Docker daemon here: syntax only)"

mkdir -p "$tmp/compose/deploy/secrets"
cp deploy/docker-compose.yml "$tmp/compose/deploy/"
cp deploy/minyi.env.example "$tmp/compose/deploy/minyi.env"
cp minyi.example.toml "$tmp/compose/deploy/minyi.toml"
for s in telegram_token postgres_password database_url; do echo unused >"$tmp/compose/deploy/secrets/$s"; done
if (cd "$tmp/compose/deploy" && docker-compose config -q) 2>&1 | indent; then
    pass "docker-compose config" "deploy/docker-compose.yml with minyi.env.example"
else
    fail "docker-compose config"
fi

# ---------------------------------------------------------------------------------------------
step "The installed /usr/bin/minyi against the built-in Bot API sandbox"

state="$tmp/state"
install -d -o minyi -g minyi -m 0750 "$state" "$state/backup"
sandbox_port="$(free_port)"
echo "  starting: minyi sandbox --listen 127.0.0.1:$sandbox_port"
start_bg "$tmp/sandbox.out" /usr/bin/minyi sandbox --listen "127.0.0.1:$sandbox_port"
sandbox_pid=$last_pid
api_url=""
token=""
for _ in $(seq 1 80); do
    api_url="$(sed -n 's/^TELOXIDE_API_URL=//p' "$tmp/sandbox.out" | head -n 1)"
    token="$(sed -n 's/^TELOXIDE_TOKEN=//p' "$tmp/sandbox.out" | head -n 1)"
    [[ -n "$api_url" && -n "$token" ]] && break
    kill -0 "$sandbox_pid" 2>/dev/null || break
    sleep 0.25
done
sandbox_ok=0
if [[ -n "$api_url" && -n "$token" ]]; then
    sandbox_ok=1
    pass "minyi sandbox" "TELOXIDE_API_URL=$api_url"
else
    head -n 20 "$tmp/sandbox.out" | indent
    fail "minyi sandbox" "did not print TELOXIDE_API_URL= and TELOXIDE_TOKEN= (is \`minyi sandbox\` in this build?)"
fi

# The installed configuration, with bot_username set to the sandbox's bot.
cp /etc/minyi/minyi.toml "$tmp/minyi.toml"
if [[ "$sandbox_ok" == 1 ]]; then
    username="$(curl -s --max-time 5 "${api_url%/}/bot$token/getMe" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["result"]["username"])' 2>/dev/null || true)"
    if [[ -n "$username" ]]; then
        sed -i "s/^bot_username = .*/bot_username = \"$username\"/" "$tmp/minyi.toml"
        echo "  sandbox bot: @$username (bot_username set in the temporary config)"
    fi
    # The token as systemd would hand it over: a file only minyi reads.
    printf '%s' "$token" >"$state/telegram-token"
    chown minyi:minyi "$state/telegram-token"
    chmod 0400 "$state/telegram-token"
fi
chmod 0644 "$tmp/minyi.toml"

# The environment minyi.service gives minyi, with the temporary paths.
svc_env=(env -i "PATH=/usr/sbin:/usr/bin:/sbin:/bin" "LANG=C.UTF-8" "HOME=$state"
    "MINYI_CONFIG=$tmp/minyi.toml" "MINYI_DATABASE_URL=sqlite://$state/minyi.db"
    "RUST_LOG=warn,minyi=info")
if [[ "$sandbox_ok" == 1 ]]; then
    svc_env+=("TELOXIDE_API_URL=$api_url" "TELOXIDE_TOKEN_FILE=$state/telegram-token")
fi

migrated=0
if (cd "$state" && as_minyi "${svc_env[@]}" /usr/bin/minyi migrate) >"$tmp/migrate.log" 2>&1; then
    indent <"$tmp/migrate.log"
    migrated=1
    pass "minyi migrate (fresh SQLite, as minyi)" "$(stat -c '%U:%G %a' "$state/minyi.db") $state/minyi.db"
else
    indent <"$tmp/migrate.log"
    fail "minyi migrate (fresh SQLite, as minyi)"
fi

if [[ "$sandbox_ok" == 1 && "$migrated" == 1 ]]; then
    echo "  minyi check (✘ lines are printed, not failed: they are about the roster and chats):"
    set +e
    (cd "$state" && as_minyi "${svc_env[@]}" /usr/bin/minyi check) >"$tmp/check.log" 2>&1
    check_rc=$?
    set -e
    indent <"$tmp/check.log"
    echo "  exit code: $check_rc"
    if [[ ! -s "$tmp/check.log" ]]; then
        fail "minyi check" "printed nothing (exit $check_rc)"
    elif [[ "$check_rc" == 0 || "$check_rc" == 1 ]]; then
        pass "minyi check" "exit $check_rc, $(grep -c '✔' "$tmp/check.log") ✔ and $(grep -c '✘' "$tmp/check.log") ✘"
    else
        fail "minyi check" "exit $check_rc (a crash or a usage error, not a checklist result)"
    fi
else
    skip "minyi check" "needs the sandbox and a migrated database"
fi

# ---------------------------------------------------------------------------------------------
step "minyi-admin with an /etc/minyi/minyi.env (the token in it, as on an older systemd)"

if [[ "$sandbox_ok" == 1 && "$migrated" == 1 && ! -e /etc/minyi/minyi.env ]]; then
    # Spaces around =, quotes and indentation, as systemd's EnvironmentFile= takes them.
    env_file_made=1
    (umask 077 && cat >/etc/minyi/minyi.env <<EOF
# written by deploy/package.sh for this check, removed at its end
MINYI_DATABASE_URL = "sqlite://$state/minyi.db"
  TELOXIDE_API_URL=$api_url
TELOXIDE_TOKEN='$token'
TELOXIDE_TOKEN_FILE=
MINYI_CONFIG=$tmp/minyi.toml
EOF
    )
    set +e
    (cd / && minyi-admin check) >"$tmp/admin-check.log" 2>&1
    admin_rc=$?
    set -e
    indent <"$tmp/admin-check.log"
    rm -f /etc/minyi/minyi.env
    env_file_made=0
    if [[ "$admin_rc" == 0 ]] && grep -q "@$username" "$tmp/admin-check.log"; then
        pass "minyi-admin check (settings from minyi.env)" "exit 0, the token reached the sandbox's bot"
    else
        fail "minyi-admin check (settings from minyi.env)" "exit $admin_rc"
    fi
else
    skip "minyi-admin with minyi.env" "needs the sandbox, a migrated database and no existing /etc/minyi/minyi.env"
fi

# ---------------------------------------------------------------------------------------------
step "minyi run --http against the sandbox: /healthz, /readyz, /metrics"

# The alerts need these on a running instance (a holder that polls has talked to the Bot API).
expected_metrics=(minyi_dead_letters minyi_lock_held minyi_bot_api_last_ok_age_seconds)
# These may appear only once there is something to count.
later_metrics=(minyi_outbox_rows minyi_outbox_oldest_due_seconds minyi_db_connections
    minyi_updates_total minyi_update_seconds minyi_sends_total minyi_job_runs_total
    minyi_job_run_seconds)
if [[ "$sandbox_ok" == 1 && "$migrated" == 1 ]]; then
    http_port="$(free_port)"
    echo "  starting: minyi run --http 127.0.0.1:$http_port"
    start_bg_as_minyi "$tmp/run.log" "$state" "${svc_env[@]}" /usr/bin/minyi run --http "127.0.0.1:$http_port"
    run_pid=$last_pid
    base="http://127.0.0.1:$http_port"
    if wait_http_200 "$base/healthz" 30 "$run_pid"; then
        pass "GET /healthz" "200"
        # The scheduler and the delivery worker publish their gauges on their first rounds.
        sleep 3
        ready_code="$(http_code "$base/readyz")"
        echo "  GET /readyz: $ready_code $(curl -s --max-time 5 "$base/readyz" | head -c 300)"
        if [[ "$ready_code" == 200 || "$ready_code" == 503 ]]; then
            pass "GET /readyz" "$ready_code"
        else
            fail "GET /readyz" "$ready_code (expected 200 or 503 with a reason)"
        fi
        curl -s --max-time 5 "$base/metrics" >"$tmp/metrics.txt" || true
        echo "  GET /metrics: $(wc -l <"$tmp/metrics.txt") lines; promtool check metrics:"
        if promtool check metrics <"$tmp/metrics.txt" >"$tmp/promtool-metrics.log" 2>&1; then
            indent <"$tmp/promtool-metrics.log"
            pass "promtool check metrics" "no problems in /metrics"
        else
            indent <"$tmp/promtool-metrics.log"
            fail "promtool check metrics" "the problems above"
        fi
        grep -E '^minyi_' "$tmp/metrics.txt" | indent
        absent=()
        for m in "${expected_metrics[@]}"; do grep -qE "^$m(\{| )" "$tmp/metrics.txt" || absent+=("$m"); done
        if ((${#absent[@]})); then
            fail "gauges the alerts read" "absent from a fresh instance: ${absent[*]}"
        else
            pass "gauges the alerts read" "${expected_metrics[*]}"
        fi
        if grep -qE '^minyi_lock_held(\{[^}]*\})? 1$' "$tmp/metrics.txt"; then
            pass "minyi_lock_held is 1 on the only SQLite instance" ""
        else
            fail "minyi_lock_held is 1 on the only SQLite instance" "$(grep -E '^minyi_lock_held' "$tmp/metrics.txt" || echo absent)"
        fi
        present_later=()
        for m in "${later_metrics[@]}"; do grep -qE "^$m(_bucket|_sum|_count)?(\{| )" "$tmp/metrics.txt" && present_later+=("$m"); done
        echo "  other series of the interface, present now: ${present_later[*]:-none}"
        if deploy/docker/healthcheck.sh 127.0.0.1 "$http_port" /healthz 2>&1 | indent; then
            pass "container health check script" "deploy/docker/healthcheck.sh -> /healthz 200"
        else
            fail "container health check script" "deploy/docker/healthcheck.sh"
        fi
    else
        tail -n 30 "$tmp/run.log" | indent
        fail "GET /healthz" "minyi run --http did not answer 200 within 30 s"
    fi
    stop_bg "$run_pid" 15
    if [[ "$stopped_rc" == 0 ]]; then
        pass "minyi run stops on SIGTERM" "exit 0"
    else
        tail -n 20 "$tmp/run.log" | indent
        fail "minyi run stops on SIGTERM" "exit $stopped_rc"
    fi
else
    skip "minyi run --http" "needs the sandbox and a migrated database"
fi

# ---------------------------------------------------------------------------------------------
step "nginx in front of a webhook-mode replica (the site with its upstream on this machine)"

if [[ "$sandbox_ok" == 1 && "$migrated" == 1 ]]; then
    http_port="$(free_port)"
    nginx_port="$(free_port)"
    public_url="https://127.0.0.1:8443/telegram/minyi"
    echo "  starting: minyi run --http 127.0.0.1:$http_port --webhook $public_url"
    start_bg_as_minyi "$tmp/run-webhook.log" "$state" "${svc_env[@]}" /usr/bin/minyi run --http "127.0.0.1:$http_port" --webhook "$public_url"
    run_pid=$last_pid
    if wait_http_200 "http://127.0.0.1:$http_port/healthz" 30 "$run_pid"; then
        # The shipped site, listening on a free loopback port, its upstream this replica.
        python3 - "$tmp/nginx/site.conf" "$tmp/nginx/site-run.conf" "$nginx_port" "$http_port" "$tmp/nginx/logs" <<'EOF'
import re, sys
src, dst, nginx_port, http_port, logs = sys.argv[1:]
s = open(src).read()
head, rest = s.split("upstream minyi {\n", 1)
body, tail = rest.split("\n}\n", 1)
body = re.sub(r"^\s*server\s[^\n]*\n?", "", body, flags=re.M)
s = head + "upstream minyi {\n    server 127.0.0.1:%s;\n" % http_port + body + "\n}\n" + tail
s = s.replace("listen 443 ssl;", "listen 127.0.0.1:%s ssl;" % nginx_port)
s = re.sub(r"\n\s*listen \[::\]:\d+ ssl;", "", s)
s = re.sub(r"\n# Plain HTTP only.*", "\n", s, flags=re.S)
s = s.replace("/var/log/nginx/", logs + "/")
open(dst, "w").write(s)
EOF
        write_nginx_conf "$tmp/nginx/site-run.conf"
        nginx_pidfile="$tmp/nginx/nginx.pid"
        if nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>&1 | indent; then
            sleep 0.5
            ng="https://127.0.0.1:$nginx_port"
            c_health="$(http_code "$ng/healthz" -k)"
            c_metrics="$(http_code "$ng/metrics" -k)"
            c_ready="$(http_code "$ng/readyz" -k)"
            c_get="$(http_code "$ng/telegram/minyi" -k)"
            c_post="$(http_code "$ng/telegram/minyi" -k -X POST -H 'Content-Type: application/json' --data '{"update_id":1}')"
            echo "  through nginx: GET /healthz $c_health, GET /metrics $c_metrics, GET /readyz $c_ready,"
            echo "                 GET /telegram/minyi $c_get, POST /telegram/minyi without the secret header $c_post"
            expect 200 "$c_health" "nginx: GET /healthz reaches minyi"
            expect 404 "$c_metrics" "nginx: GET /metrics is not public"
            expect 404 "$c_ready" "nginx: GET /readyz is not public"
            expect 403 "$c_get" "nginx: the webhook path refuses GET"
            expect 401 "$c_post" "nginx -> minyi: POST without the secret"
        else
            fail "nginx (functional run)" "did not start"
        fi
        kill -QUIT "$(cat "$nginx_pidfile" 2>/dev/null)" 2>/dev/null || true
        for _ in $(seq 1 20); do [[ -e "$nginx_pidfile" ]] || break; sleep 0.2; done
        nginx_pidfile=""
    else
        tail -n 30 "$tmp/run-webhook.log" | indent
        fail "minyi run --webhook" "did not answer /healthz within 30 s"
    fi
    stop_bg "$run_pid" 15
    [[ "$stopped_rc" == 0 ]] || { tail -n 10 "$tmp/run-webhook.log" | indent; fail "minyi run --webhook stops on SIGTERM" "exit $stopped_rc"; }
else
    skip "nginx in front of minyi" "needs the sandbox and a migrated database"
fi

# ---------------------------------------------------------------------------------------------
step "The image's ENTRYPOINT, run here as the image would run it (port 9184)"

entrypoint_json="$(grep -E '^ENTRYPOINT ' deploy/Dockerfile | sed 's/^ENTRYPOINT //')"
if [[ "$sandbox_ok" == 1 ]] && [[ "$(http_code http://127.0.0.1:9184/healthz)" == 000 ]]; then
    mapfile -t entrypoint < <(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$entrypoint_json")
    image_state="$tmp/image-state"
    install -d -o minyi -g minyi -m 0750 "$image_state"
    echo "  ENTRYPOINT $entrypoint_json"
    echo "  in $image_state, with MINYI_CONFIG and RUST_LOG as in the image and no MINYI_DATABASE_URL"
    image_env=(env -i "PATH=/usr/sbin:/usr/bin:/sbin:/bin" "HOME=$image_state" "MINYI_CONFIG=$tmp/minyi.toml"
        "RUST_LOG=warn,minyi=info" "TELOXIDE_API_URL=$api_url" "TELOXIDE_TOKEN_FILE=$state/telegram-token")
    start_bg_as_minyi "$tmp/entrypoint.log" "$image_state" "${image_env[@]}" "${entrypoint[@]}"
    ep_pid=$last_pid
    if wait_http_200 http://127.0.0.1:9184/healthz 30 "$ep_pid" && deploy/docker/healthcheck.sh; then
        if [[ -s "$image_state/minyi.db" ]]; then
            pass "image ENTRYPOINT (migrate, then run --http 0.0.0.0:9184)" "healthy; database at WORKDIR/minyi.db"
        else
            fail "image ENTRYPOINT" "healthy, but no minyi.db in the working directory"
        fi
    else
        tail -n 20 "$tmp/entrypoint.log" | indent
        fail "image ENTRYPOINT" "not healthy within 30 s"
    fi
    stop_bg "$ep_pid" 15
    [[ "$stopped_rc" == 0 ]] || fail "image ENTRYPOINT stops on SIGTERM" "exit $stopped_rc"
else
    skip "image ENTRYPOINT" "needs the sandbox and a free port 9184"
fi

# ---------------------------------------------------------------------------------------------
step "The backup wrapper (/usr/libexec/minyi/minyi-backup) on SQLite"

if [[ "$migrated" == 1 ]]; then
    old="$state/backup/minyi-20000101-023000.db"
    as_minyi touch "$old"
    touch -d '20 days ago' "$old"
    keep_recent="$state/backup/minyi-recent.db"
    as_minyi touch "$keep_recent"
    touch -d '10 days ago' "$keep_recent"
    backup_env=("${svc_env[@]}" "MINYI_BACKUP_DIR=$state/backup" "MINYI_BACKUP_KEEP_DAYS=14")
    backup_rc=0
    (cd "$state" && as_minyi "${backup_env[@]}" /usr/libexec/minyi/minyi-backup) >"$tmp/backup.log" 2>&1 || backup_rc=$?
    if [[ "$backup_rc" == 0 ]]; then
        indent <"$tmp/backup.log"
        new=""
        for f in "$state/backup"/minyi-2*.db; do [[ -e "$f" && "$f" != "$old" ]] && new="$f"; done
        if [[ -n "$new" && "$(head -c 15 "$new")" == "SQLite format 3" && ! -e "$old" && -e "$keep_recent" ]]; then
            pass "minyi-backup (SQLite)" "$(basename "$new") $(stat -c '%U %a' "$new"); 20-day-old removed, 10-day-old kept"
        else
            ls -la "$state/backup" | indent
            fail "minyi-backup (SQLite)" "no valid new backup, or the pruning is wrong"
        fi
    else
        indent <"$tmp/backup.log"
        fail "minyi-backup (SQLite)" "exit code $backup_rc (needs \`minyi backup\`)"
    fi
else
    skip "minyi-backup (SQLite)" "needs a migrated database"
fi

# ---------------------------------------------------------------------------------------------
step "PostgreSQL on 127.0.0.1:5432: migrate, migrate-data from the SQLite file, pg_dump backup"

if [[ "$migrated" == 1 ]] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 &&
    psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
    pg_db="minyi_pkgtest_$$"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $pg_db"
    # A password in the URL (ignored by this trust-auth server) exercises the wrapper's
    # PGPASSWORD handling.
    pg_url="postgres://postgres:not%40used@127.0.0.1:5432/$pg_db"
    pg_env=("${svc_env[@]/#MINYI_DATABASE_URL=*/MINYI_DATABASE_URL=$pg_url}")
    if (cd "$state" && as_minyi "${pg_env[@]}" /usr/bin/minyi migrate) >"$tmp/pg-migrate.log" 2>&1; then
        pass "minyi migrate (PostgreSQL)" "$pg_db"
        if (cd "$state" && as_minyi "${svc_env[@]}" /usr/bin/minyi migrate-data --from "sqlite://$state/minyi.db" --to "$pg_url") >"$tmp/migrate-data.log" 2>&1; then
            indent <"$tmp/migrate-data.log"
            pass "minyi migrate-data sqlite -> postgres" ""
        else
            indent <"$tmp/migrate-data.log"
            fail "minyi migrate-data sqlite -> postgres"
        fi
        if (cd "$state" && as_minyi "${pg_env[@]}" "MINYI_BACKUP_DIR=$state/backup" /usr/libexec/minyi/minyi-backup) >"$tmp/pg-backup.log" 2>&1; then
            indent <"$tmp/pg-backup.log"
            dump=""
            for f in "$state/backup"/minyi-*.dump; do [[ -e "$f" ]] && dump="$f"; done
            if [[ -n "$dump" ]] && pg_restore --list "$dump" >/dev/null 2>&1; then
                pass "minyi-backup (PostgreSQL, pg_dump)" "$(basename "$dump"), $(pg_restore --list "$dump" | grep -c ' TABLE ') tables"
            else
                fail "minyi-backup (PostgreSQL, pg_dump)" "no readable dump"
            fi
        else
            indent <"$tmp/pg-backup.log"
            fail "minyi-backup (PostgreSQL, pg_dump)"
        fi
    else
        indent <"$tmp/pg-migrate.log"
        fail "minyi migrate (PostgreSQL)"
    fi
else
    skip "PostgreSQL checks" "no migrated SQLite file, or no PostgreSQL with trust auth on 127.0.0.1:5432"
fi

# ---------------------------------------------------------------------------------------------
step "Summary"
nfail=0
for line in "${results[@]}"; do
    echo "  $line"
    [[ "$line" == FAIL* ]] && nfail=$((nfail + 1))
done
npass="$(printf '%s\n' "${results[@]}" | grep -c '^PASS' || true)"
nskip="$(printf '%s\n' "${results[@]}" | grep -c '^SKIP' || true)"
echo
echo "package: $npass passed, $nfail failed, $nskip skipped"
[[ "$nfail" == 0 ]]

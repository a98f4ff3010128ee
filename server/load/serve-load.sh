#!/usr/bin/env bash
# Load figures of `licensim serve` (docs/BENCHMARKS.md, "Graph endpoint"): wrk over loopback on the
# default scenario's 100,000-user tenant, served with --store (durable writes). A benchmark, not a
# test: it prints requests/s and latency percentiles; nothing is asserted.
#
#   server/load/serve-load.sh [SECONDS_PER_RUN=15] [CONNECTIONS=32]
#
# Needs wrk (Debian: apt-get install wrk), curl and base64. Listens on 127.0.0.1 only; everything it
# makes goes to a temporary directory that is removed at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
secs="${1:-15}"
conns="${2:-32}"
port="${LICENSIM_LOAD_PORT:-18480}"
work="$(mktemp -d "${TMPDIR:-/tmp}/licensim-serve-load.XXXXXX")"
base="http://127.0.0.1:$port/v1.0"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }

echo "starting licensim serve (default scenario, 100,000 users, --store) ..." >&2
"$here/licensim" serve --scenario default --users 100000 --store "$work/store" --port "$port" \
  >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  curl -s -o /dev/null "$base/subscribedSkus" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done

# ids: 999 users for single reads; the EU group's members (they hold EMS from it, so a direct EMS
# assignment always succeeds: a second source takes no seat) for writes; page offsets as skiptokens
ids() { grep -o '"id":"[0-9a-f-]*"' | cut -d'"' -f4; }
curl -s "$base/users?\$select=id&\$top=999" | ids > "$work/users.txt"
eu=$(curl -s "$base/groups?\$select=id&\$filter=startswith(displayName,'Licensing%20-%20EU')" | ids | head -1)
curl -s "$base/groups/$eu/members?\$select=id&\$top=999" | ids > "$work/writers.txt"
: > "$work/pages.txt"
for n in $(seq 0 999 98000); do
  printf '/v1.0/users?$top=999&$skiptoken=%s\n' "$(printf 'i:%d' "$n" | base64 | tr '+/' '-_' | tr -d '=')" >> "$work/pages.txt"
done

cat > "$work/load.lua" <<'LUA'
-- one of: read (GET a user's licenseAssignmentStates), page (GET 999 users), write (POST assignLicense)
local mode = os.getenv("MODE")
local lines = {}
local counter = 0
local non2xx = 0
function init(args)
  for l in io.lines(os.getenv("LIST")) do lines[#lines + 1] = l end
end
function request()
  counter = counter + 1
  local x = lines[(counter % #lines) + 1]
  if mode == "read" then
    return wrk.format("GET", "/v1.0/users/" .. x .. "?$select=licenseAssignmentStates")
  elseif mode == "page" then
    return wrk.format("GET", x)
  else
    return wrk.format("POST", "/v1.0/users/" .. x .. "/assignLicense", {["Content-Type"] = "application/json"},
      '{"addLicenses":[{"skuId":"efccb6f7-5641-4e0e-bd10-b4976e1bf68e","disabledPlans":[]}],"removeLicenses":[]}')
  end
end
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, summary.requests, errors))
end
LUA

run() { # name mode list [connections]
  local c="${4:-$conns}"
  MODE="$2" LIST="$3" wrk -t1 -c"$c" -d5s -s "$work/load.lua" "http://127.0.0.1:$port" >/dev/null # warm-up
  local r
  r=$(MODE="$2" LIST="$3" wrk -t1 -c"$c" -d"${secs}s" -s "$work/load.lua" "http://127.0.0.1:$port" | grep '^RESULT')
  read -r _ rps p50 p99 p999 n errs <<<"$r"
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "$p999" "$n" "$errs"
}

echo "| run ($conns connections unless said) | requests/s | p50 ms | p99 ms | p99.9 ms | requests | errors (non-2xx, socket) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
run "GET /users/{id}?\$select=licenseAssignmentStates" read "$work/users.txt"
run "GET /users?\$top=999 (a page)" page "$work/pages.txt"
run "POST /users/{id}/assignLicense, --store (fsync), $conns connections" write "$work/writers.txt"
# wrk waits for each answer before the next request on a connection: with an fsync of ~20 ms per batch,
# writes/s is about connections / fsync time; four times the connections show what one writer takes
run "POST /users/{id}/assignLicense, --store (fsync), $((4 * conns)) connections" write "$work/writers.txt" $((4 * conns))

# a ~10,000-member group's licence: removed, then assigned again; time from the POST to ProcessingComplete
pstn=$(curl -s "$base/groups?\$select=id&\$filter=startswith(displayName,'Licensing%20-%20Support')" | ids | head -1)
members=$(curl -s -H 'ConsistencyLevel: eventual' "$base/groups/$pstn/members?\$select=id&\$top=1&\$count=true" \
  | grep -o '"@odata.count":[0-9]*' | cut -d: -f2)
sku=0dab259f-bf13-4952-b7f8-7db8f131b28d
group_job() { # body -> milliseconds until ProcessingComplete
  local t0 t1 state
  t0=$(date +%s%N)
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "$1" "$base/groups/$pstn/assignLicense"
  for _ in $(seq 1 6000); do
    state=$(curl -s "$base/groups/$pstn?\$select=licenseProcessingState" | grep -o '"state":"[A-Za-z]*"' | cut -d'"' -f4)
    [ "$state" = ProcessingComplete ] && break
    sleep 0.01
  done
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
remove_ms=$(group_job "{\"addLicenses\":[],\"removeLicenses\":[\"$sku\"]}")
add_ms=$(group_job "{\"addLicenses\":[{\"skuId\":\"$sku\",\"disabledPlans\":[]}],\"removeLicenses\":[]}")
echo
echo "group of $members members (--store): licence removed in $remove_ms ms, assigned again in $add_ms ms (POST to ProcessingComplete, polled every 10 ms)"

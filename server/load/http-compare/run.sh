#!/usr/bin/env bash
# The HTTP server libraries measured before `licensim serve` chose one (docs/BENCHMARKS.md): the same
# handler (one ~600-byte Graph-shaped JSON answer) on Undertow (U) and on Jetty 12 (J), each loaded in
# turn with wrk over loopback: 5 s warm-up, then 10 s measured, two rounds. Not part of the build.
#   server/load/http-compare/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
cp="target/classes:$(cat target/cp.txt)"
for round in 1 2; do
  for m in U J; do
    port=$((18700 + round * 10 + $([ $m = U ] && echo 1 || echo 2)))
    java -Xmx512m -cp "$cp" cmp.$m "$port" >/dev/null 2>&1 &
    pid=$!
    sleep 2
    wrk -t1 -c32 -d5s "http://127.0.0.1:$port/" >/dev/null
    echo "== $([ $m = U ] && echo Undertow || echo Jetty) round $round"
    wrk -t1 -c32 -d10s --latency "http://127.0.0.1:$port/" | grep -E "Requests/sec|50%|99%"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done

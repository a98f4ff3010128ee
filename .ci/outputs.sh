#!/usr/bin/env bash
# .ci/outputs.sh CHECKOUT OUT: runs every printing command in every --format it takes, on the
# examples and a small simulated tenant, with the launcher of CHECKOUT, and keeps stdout, stderr,
# exit code and the files written in OUT. Two checkouts' OUT compared with .ci/compare-outputs.sh
# show what a change did to licensim's output (about two minutes per checkout).
set -uo pipefail
wt="$(cd "$1" && pwd)"; out="$(mkdir -p "$2" && cd "$2" && pwd)"
rm -rf "$out"; mkdir -p "$out"
cat > "$out/prices-small.json" <<'JSON'
{"currency": "EUR", "products": {"ENTERPRISEPACK": {"perMonth": 33.75}, "EMS": {"perYear": 120, "commitment": "annual"}}}
JSON
cd "$wt"
L=./licensim
run() { local n="$1"; shift; "$L" "$@" >"$out/$n.stdout" 2>"$out/$n.stderr"; echo $? >"$out/$n.rc"; }
ex=examples
chg='{"type":"UnitsChanged","skuId":"ENTERPRISEPACK","prepaidUnits":{"enabled":5}}'
for f in table csv json; do
  run sim-$f simulate small -q --users 3000 --days 30 --out "$out/sim-$f" --events --state --format $f
done
snap="$out/sim-table/snapshot.json"; evs="$out/sim-table/events.jsonl"
uid=$(grep -o '"userId":"[^"]*"' "$evs" | head -1 | cut -d'"' -f4)
run resolve-store resolve "$snap" --events "$evs" --on-reject skip --store "$out/store"
for f in table csv json; do
  run import-$f import-graph --dir $ex/graph-export --out "$out/imported-$f.json" --with-state --format $f
  run import-nocheck-$f import-graph --dir $ex/graph-export --out "$out/imported-nc-$f.json" --no-check --format $f
  run resolve-$f resolve "$snap" --events "$evs" --on-reject skip --out "$out/resolved-$f.json" --format $f
  run resolve-ex-$f resolve $ex/contoso-small.json --events $ex/contoso-small.events.jsonl --out "$out/ex-state-$f.csv" --format $f
  run resolve-two-$f resolve $ex/two-groups-e3.json --format $f
  run state-$f state "$out/store" --format $f
  run state-user-$f state "$out/store" --user "$uid" --format $f
  run check-sim-$f check "$snap" --format $f
  run check-ex-$f check $ex/contoso-small.json --threshold 50 --format $f
  run check-two-$f check $ex/two-groups-e3.json --format $f --limit 1
  run reclaim-$f reclaim $out/imported-table.json --now 2026-12-01T00:00:00Z --prices $ex/prices.json --format $f --limit 2 --apply "$out/reclaim-$f.jsonl" --apply "$out/reclaim-$f.ps1"
  run whatif-$f whatif $ex/contoso-small.json --format $f --change "$chg" --limit 3
  run whatif2-$f whatif $ex/contoso-small.json --format $f --change '{"type":"LicenseRemovedFromGroup","groupId":"b0000000-0000-4000-8000-0000000000a2","skuId":"ENTERPRISEPACK"}'
  run migrate-$f migrate $ex/contoso-small.json --format $f --apply "$out/migration-$f.jsonl" --limit 2
  run preview-$f preview-rule $ex/contoso-small.json --group b0000000-0000-4000-8000-0000000000a2 --rule 'user.department -in ["Engineering","Finance"]' --format $f --limit 2
  run switch-$f switch-product $ex/contoso-small.json --group b0000000-0000-4000-8000-0000000000a2 --from ENTERPRISEPACK --to STANDARDPACK --format $f --apply "$out/switch-$f.jsonl"
  run plan-$f plan small -q --runs 6 --users 3000 --horizon 60 --backtest --truths 3 --prices "$out/prices-small.json" --format $f --out "$out/plan-$f"
  run sim-churn-$f simulate $out/imported-table.json -q --churn $ex/churn.json --days 20 --out "$out/sim-churn-$f" --format $f
  run plan-churn-$f plan $out/imported-table.json -q --churn $ex/churn.json --runs 4 --horizon 40 --prices $ex/prices.json --format $f --out "$out/plan-churn-$f"
done
run reclaim-table-first reclaim $ex/contoso-small.json --format table
run validate-sim validate "$snap" --events "$evs"
run validate-ex validate $ex/contoso-small.json --events $ex/contoso-small.events.jsonl
run catalog catalog
run catalog-product catalog --product ENTERPRISEPACK
run catalog-plan catalog --plan EXCHANGE_S_ENTERPRISE
run catalog-search catalog --search E5
run catalog-rules catalog --rules
run sim-list simulate --list
rm -rf "$out/store"

#!/usr/bin/env bash
# The main job: sets up what is missing, builds, starts a development chain (Alice validates,
# is the FHE worker and runs the hospital's decryptor) and plays the token factory story:
#
#   1. a hospital (Dave) encrypts a 64-row patient table (age, systolic pressure, diabetic) and
#      registers it as a data token: price 0.5 TFU a call, cohort gate 5;
#   2. it issues equity to two shareholders (Charlie 60%, Ferdie 40%) and routes the data
#      revenue to them as dividends;
#   3. an insurer's agent (Eve) opens a payment channel and asks "mean systolic pressure of
#      diabetic patients over 50": the answer comes back proven, and equals the plaintext one;
#   4. a query narrowed to fewer than 5 patients is refused by the cohort gate, inside FHE, and
#      a third call follows; each call prints its latency (evaluation, proof, chain);
#   5. the shareholders claim their dividends.
#
#   scripts/demo.sh              the whole story (stops the chain at the end)
#   scripts/demo.sh --keep-running   leave the chain running afterwards (Ctrl-C stops it)
#
# Every step prints what happened, the on-chain events and the time it took. Work files (the
# hospital's FHE keys, reused across runs since key generation takes a while; the CSV; the
# encrypted chunks) live in $TOKENFACTORY_DEMO_DIR (default $HOME/.cache/tokenfactory/demo).
set -euo pipefail
source "$(dirname "$0")/common.sh"

keep_running=0
case "${1:-}" in
	--keep-running) keep_running=1 ;;
	"") ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
esac

ensure_prerequisites
log "building (if anything changed)"

TF="$CARGO_TARGET_DIR/debug/tokenfactory"
DEMO_DIR="${TOKENFACTORY_DEMO_DIR:-$HOME/.cache/tokenfactory/demo}"
ZK_DIR="${TOKENFACTORY_ZK_DIR:-$HOME/.cache/tokenfactory/zk}"
PORT="${TOKENFACTORY_DEMO_PORT:-9944}"
URL="ws://127.0.0.1:$PORT"
mkdir -p "$DEMO_DIR" "$ZK_DIR"
(cd "$REPO_ROOT" && cargo build --locked --workspace --all-targets) >"$DEMO_DIR/build.log" 2>&1 ||
	die "the build failed; see $DEMO_DIR/build.log"
run_started=$(date +%s)

step() { printf '\n\033[1;32m== %s\033[0m\n' "$*"; }
tf() { "$TF" --url "$URL" "$@"; }

# What a paid call waited for: the call's latency (submission to the verified answer, from its
# JSON), the node's evaluation and its decryption proof (from the node's log), and the rest: the
# chain's hand-offs (blocks, and the reveal's verification). One line per job, kept for the
# median at the end.
overheads=()
figures() {
	local job=$1 json=$2 latency evaluation proof
	latency="$(grep -o '"latency_seconds":[0-9.]*' <<<"$json" | cut -d: -f2)"
	evaluation="$(grep -ao "job $job: fhe-evaluator done in [0-9.]* s" "$node_log" | tail -1 | awk '{print $6}')"
	proof="$(grep -ao "job $job: fhe-revealer done in [0-9.]* s" "$node_log" | tail -1 | awk '{print $6}')"
	[[ -n "$latency" && -n "$evaluation" && -n "$proof" ]] || {
		log "job $job: no latency figures (latency '$latency', evaluation '$evaluation', proof '$proof')"
		return
	}
	local overhead
	overhead="$(awk -v l="$latency" -v e="$evaluation" -v p="$proof" 'BEGIN { printf "%.1f", l - e - p }')"
	overheads+=("$overhead")
	log "job $job: verified answer $(printf '%.1f' "$latency") s after submission = evaluation $evaluation s + proof $proof s + $overhead s on chain (one replica: no commit round)"
}

step "the hospital's FHE keys"
if [[ -f "$DEMO_DIR/hospital-keys/client.key" ]]; then
	log "reusing $DEMO_DIR/hospital-keys (delete it for fresh keys)"
else
	tf keys new --out "$DEMO_DIR/hospital-keys"
fi

step "starting the dev chain (Alice: validator, FHE worker, the hospital's decryptor)"
node_log="$DEMO_DIR/node.log"
"$NODE_BIN" --dev --tmp --rpc-port "$PORT" --prometheus-port 9615 --rpc-cors all \
	--fhe-keys "$DEMO_DIR/hospital-keys" --zk-keys "$ZK_DIR" >"$node_log" 2>&1 &
node_pid=$!
trap 'kill $node_pid 2>/dev/null || true; wait $node_pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do
	tf datasets >/dev/null 2>&1 && break
	kill -0 "$node_pid" 2>/dev/null || die "the node exited; see $node_log"
	sleep 1
done
tf datasets >/dev/null || die "the node did not come up; see $node_log"
log "node up (log: $node_log)"

step "synthetic patient table"
tf demo patients --rows 64 --seed 7 --out "$DEMO_DIR/patients.csv"

step "1. the hospital registers the table as a data token"
rm -rf "$DEMO_DIR/encrypted"
tf --suri //Dave dataset register --keys "$DEMO_DIR/hospital-keys" --csv "$DEMO_DIR/patients.csv" \
	--schema age:8,systolic:16,diabetic:8 --name "St. Mary cardiology cohort" \
	--description "64 synthetic patients: age, systolic pressure (mmHg), diabetes" \
	--price 0.5 --programs count,mean,histogram --min-cohort 5 --max-predicates 4 \
	--out "$DEMO_DIR/encrypted"

step "2. equity: two shareholders, and the data revenue routed to them"
tf --suri //Dave equity create --name "St. Mary Data" --symbol SMD --max-supply 1000
tf --suri //Dave equity issue 0 charlie 600
tf --suri //Dave equity issue 0 ferdie 400
tf --suri //Dave revenue 0 --class 0

step "3. the insurer's agent opens a channel and asks its question"
tf --suri //Eve channel open dave 10
question="mean(systolic) where diabetic == 1 and age > 50"
answer_json="$(tf --suri //Eve --json call 0 "$question" --channel 0)"
tf --suri //Eve jobs 0
echo "$answer_json"
# The same question in plaintext, from the CSV (columns: patient, age, systolic, diabetic).
read -r plain_count plain_total < <(awk -F, 'NR > 1 && $4 == 1 && $2 > 50 { n++; s += $3 } END { print n + 0, s + 0 }' "$DEMO_DIR/patients.csv")
got_count="$(grep -o '"count":[0-9]*' <<<"$answer_json" | cut -d: -f2)"
got_total="$(grep -o '"total":[0-9]*' <<<"$answer_json" | cut -d: -f2)"
[[ "$got_count" == "$plain_count" && "$got_total" == "$plain_total" ]] ||
	die "the proven answer (count $got_count, total $got_total) differs from the plaintext one ($plain_count, $plain_total)"
log "proven answer = plaintext answer: $plain_count patients, mean systolic $(awk -v t="$plain_total" -v n="$plain_count" 'BEGIN { printf "%.2f", t / n }') mmHg"
figures 0 "$answer_json"

step "4. a question about fewer than 5 patients is refused inside FHE"
narrow="mean(systolic) where diabetic == 1 and age > 82"
read -r narrow_count < <(awk -F, 'NR > 1 && $4 == 1 && $2 > 82 { n++ } END { print n + 0 }' "$DEMO_DIR/patients.csv")
refused_json="$(tf --suri //Eve --json call 0 "$narrow" --channel 0)"
echo "$refused_json"
grep -q '"gate_passed":false' <<<"$refused_json" || die "the narrow query ($narrow_count patients) was not refused"
log "refused: $narrow_count patients match, below the cohort gate of 5; the answer revealed nothing else"
figures 1 "$refused_json"

step "4b. one more call, for the latency's median of three"
read -r plain_diabetics < <(awk -F, 'NR > 1 && $4 == 1 { n++ } END { print n + 0 }' "$DEMO_DIR/patients.csv")
count_json="$(tf --suri //Eve --json call 0 "count where diabetic == 1" --channel 0)"
echo "$count_json"
got_diabetics="$(grep -o '"count":[0-9]*' <<<"$count_json" | cut -d: -f2)"
[[ "$got_diabetics" == "$plain_diabetics" ]] ||
	die "the proven count ($got_diabetics) differs from the plaintext one ($plain_diabetics)"
figures 2 "$count_json"
if ((${#overheads[@]})); then
	median="$(printf '%s\n' "${overheads[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
	log "latency: median of ${#overheads[@]} calls, the verified answer came evaluation + proof + $median s after submission"
fi

step "5. the shareholders claim their dividends"
tf --suri //Charlie equity claim 0
tf --suri //Ferdie equity claim 0
tf --suri //Eve channel show 0

step "done in $(( $(date +%s) - run_started )) s"
if ((keep_running)); then
	log "the chain keeps running at $URL; Ctrl-C stops it"
	wait "$node_pid"
fi

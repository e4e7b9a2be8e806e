#!/usr/bin/env bash
# End-to-end: what a probe fed the `osprey` binary (malformed configs, files and arguments,
# concurrent and killed runs) and what each must now do. One check per case of the hardening
# issue; every run is bounded by `timeout` so a regression that hangs fails instead of stalling.
# Usage: cli_hardening_test.sh PATH/TO/osprey
set -uo pipefail
osprey=$(realpath "$1")
cd "$(dirname "$0")/.."
src=$(pwd)
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli_lib.sh
source tests/cli_lib.sh

# A small world: two real pairs, hourly only, January 2025.
mkdir -p "$tmp/data/klines/1h"
cp data/klines/1h/BTCUSDT.csv.gz data/klines/1h/DOGEUSDT.csv.gz "$tmp/data/klines/1h/"
base="$tmp/base.toml"
cat >"$base" <<EOF
[data]
dir = "$tmp/data"
symbols = ["BTCUSDT", "DOGEUSDT"]
[backtest]
from = "2025-01-01"
to = "2025-02-01"
out_dir = "$tmp/out"
[exchange]
use_minute_candles = false
[exchange.symbols.BTCUSDT]
base_asset = "BTC"
quote_asset = "USDT"
tick_size = "0.01"
step_size = "0.00001"
min_qty = "0.00001"
max_qty = "9000"
min_notional = "5"
[exchange.symbols.DOGEUSDT]
base_asset = "DOGE"
quote_asset = "USDT"
tick_size = "0.00001"
step_size = "1"
min_qty = "1"
max_qty = "9000000"
min_notional = "5"
EOF
# variant NAME SED-SCRIPT : a copy of the base config edited by sed, printed as its path
variant() { sed "$2" "$base" >"$tmp/$1.toml"; echo "$tmp/$1.toml"; }

check "base config passes config check" run 0 "$tmp/ok" config check "$base"
check "base config backtest runs" run 0 "$tmp/ok2" backtest --config "$base"

# ---- 1. ticks absurd for the price are config errors; fills stay inside the candle ----
doge=$(variant doge_tick '/^\[exchange.symbols.DOGEUSDT\]/,/^min_notional/ s/^tick_size = .*/tick_size = "0.1"/')
check "DOGE tick 0.1: config check exits 2" run 2 "$tmp/t1" config check "$doge"
check "DOGE tick 0.1: names the key" has "$tmp/t1" "exchange.symbols.DOGEUSDT.tick_size: 0.1 is"
check "DOGE tick 0.1: names the price" has "$tmp/t1" "of DOGEUSDT's lowest price in the period"
check "DOGE tick 0.1: backtest exits 2 the same way" run 2 "$tmp/t2" backtest --config "$doge"
check "DOGE tick 0.1: backtest names the key" has "$tmp/t2" "exchange.symbols.DOGEUSDT.tick_size"
btc=$(variant btc_tick '/^\[exchange.symbols.BTCUSDT\]/,/^min_notional/ s/^tick_size = .*/tick_size = "1000000"/')
check "BTC tick 1000000: refused" run 2 "$tmp/t3" backtest --config "$btc"
check "BTC tick 1000000: names the key" has "$tmp/t3" "exchange.symbols.BTCUSDT.tick_size: 1000000 is"

# ---- 2. one validation: every value config check accepts, the run accepts ----
for case in "starting_capital = 1e25|capital|capital.starting_capital" \
  "bb_stddev = nan|technical|technical.bb_stddev" \
  "trend_sma_period = 2147483647|technical|technical.trend_sma_period" \
  "trend_sma_period = 500000000|technical|technical.trend_sma_period" \
  "rsi_period = 2147483647|technical|technical.rsi_period" \
  "atr_period = 2147483647|technical|technical.atr_period" \
  "macd_slow = 2147483647|technical|technical.macd_slow" \
  "macd_signal = 2147483647|technical|technical.macd_signal" \
  "kelly_multiplier = nan|risk|risk.kelly_multiplier" \
  "kelly_prior_win_rate = inf|risk|risk.kelly_prior_win_rate" \
  "kelly_prior_payoff = nan|risk|risk.kelly_prior_payoff" \
  "rsi_min = nan|technical|technical.rsi_min" \
  "rsi_max = inf|technical|technical.rsi_max" \
  "volume_surge_ratio = nan|technical|technical.volume_surge_ratio" \
  "min_momentum_percent = inf|technical|technical.min_momentum_percent" \
  "max_atr_percent = nan|technical|technical.max_atr_percent" \
  "rsi_entry_below = nan|reference|reference.rsi_entry_below" \
  "fee_percent = 0.0000000000001|exchange|exchange.fee_percent"; do
  IFS='|' read -r line section key <<<"$case"
  if [ "$section" = exchange ]; then
    f=$(variant "bad_$key" "/^\[exchange\]\$/a $line")
  else
    f="$tmp/bad_$key.toml"
    { cat "$base"; printf '[%s]\n%s\n' "$section" "$line"; } >"$f"
  fi
  check "$line: config check exits 2" run 2 "$tmp/v1" config check "$f"
  check "$line: names $key" has "$tmp/v1" "$key"
  check "$line: backtest exits 2 too" run 2 "$tmp/v2" backtest --config "$f"
done
check "symbol without filters: config check exits 2" \
  run 2 "$tmp/v3" config check "$(variant nofilters 's/^symbols = .*/symbols = ["BTCUSDT", "ETHUSDT"]/')"
check "symbol without filters: named" has "$tmp/v3" '"ETHUSDT" has no [exchange.symbols.ETHUSDT] table'

# ---- 3. exit codes as documented ----
check "unknown analyst exits 2" run 2 "$tmp/x1" backtest --config "$base" --analyst gpt
check "unknown analyst named with its flag" has "$tmp/x1" '--analyst: unknown analyst "gpt"'
check "duplicate symbol exits 2" run 2 "$tmp/x2" backtest --config "$base" --symbols BTCUSDT,BTCUSDT
check "duplicate symbol named" has "$tmp/x2" '--symbols: "BTCUSDT" is listed twice'
check "symbol without filters on the command line exits 2" \
  run 2 "$tmp/x3" backtest --config "$base" --symbols PEPEUSDT
check "unknown command is named" run 2 "$tmp/x4" frob
check "unknown command frob" has "$tmp/x4" "unknown command 'frob'"
check "unknown subcommand is named" run 2 "$tmp/x5" risk frob
check "unknown subcommand risk frob" has "$tmp/x5" "unknown command 'risk frob'"
check "negative bias check exits 2" run 2 "$tmp/x6" backtest --config "$base" --bias-check -1

# ---- runs that would replay nothing are errors that say why ----
check "period after the data exits 2" \
  run 2 "$tmp/n1" backtest --config "$base" --from 2030-01-01 --to 2031-01-01
check "period after the data: says where the data is" has "$tmp/n1" "no candle to replay"
check "--from after the default end exits 2" run 2 "$tmp/n2" backtest --config "$base" --from 2030-01-01
: >"$tmp/empty.toml"
check "empty config exits 2" run 2 "$tmp/n3" backtest --config "$tmp/empty.toml"
check "empty config: says why" has "$tmp/n3" "data.symbols: must list at least one symbol"
check "empty symbol list exits 2" run 2 "$tmp/n4" backtest --config "$base" --symbols ,
check "--config /dev/null exits 2" run 2 "$tmp/n5" backtest --config /dev/null
check "--config /dev/null: says why" has "$tmp/n5" "character device"
mkdir -p "$tmp/d_header/klines/1h" "$tmp/d_cr/klines/1h" "$tmp/d_us/klines/1h"
printf 'open_time_ms,open,high,low,close,volume\n' | gzip >"$tmp/d_header/klines/1h/BTCUSDT.csv.gz"
printf 'open_time_ms,open,high,low,close,volume,quote_volume,trades\r1735689600000,1,2,0.5,1.5,10,,\r' \
  >"$tmp/d_cr/klines/1h/BTCUSDT.csv.gz"
printf 'open_time_ms,open,high,low,close,volume\n1735689600000000,1,2,0.5,1.5,10\n' \
  >"$tmp/d_us/klines/1h/BTCUSDT.csv.gz"
for d in header:"no candle rows" cr:"CR-only line endings" us:"looks like microseconds"; do
  name=${d%%:*}
  check "$name file exits 1" run 1 "$tmp/f_$name" backtest --config "$base" --symbols BTCUSDT \
    --data "$tmp/d_$name"
  check "$name file: says why" has "$tmp/f_$name" "${d#*:}"
done

# ---- 4. stores that are not Osprey's are never touched ----
: >"$tmp/empty.db"
sqlite3 "$tmp/foreign.db" "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');"
sha_foreign=$(sha256sum <"$tmp/foreign.db")
for cmd in "risk show" "trades" "risk reset --equity 1000"; do
  # shellcheck disable=SC2086
  check "$cmd on an empty file exits 2" run 2 "$tmp/s1" $cmd --db "$tmp/empty.db"
  check "$cmd on an empty file: says why" has "$tmp/s1" "not an Osprey trade store"
  # shellcheck disable=SC2086
  check "$cmd on a foreign database exits 2" run 2 "$tmp/s2" $cmd --db "$tmp/foreign.db"
done
check "the empty file stays empty" test ! -s "$tmp/empty.db"
check "the foreign database is byte-identical" test "$(sha256sum <"$tmp/foreign.db")" = "$sha_foreign"
check "no WAL file was created" test ! -e "$tmp/foreign.db-wal" -a ! -e "$tmp/empty.db-wal"
check "the foreign database is not switched to WAL" \
  test "$(sqlite3 "$tmp/foreign.db" 'PRAGMA journal_mode')" = delete
# The same corrupt store gives the same code in every command: an Osprey store whose schema page
# is overwritten (everything after the 100-byte header of page 1) is a runtime failure, 1.
cp "$tmp/out/osprey.db" "$tmp/corrupt.db"
head -c 3996 /dev/zero | tr '\0' 'x' | dd of="$tmp/corrupt.db" bs=1 seek=100 conv=notrunc 2>/dev/null
run_code() { timeout 60 "$osprey" "$@" >/dev/null 2>&1; echo $?; }
codes="$(run_code trades --db "$tmp/corrupt.db") $(run_code risk show --db "$tmp/corrupt.db")"
codes+=" $(run_code risk reset --equity 1000 --db "$tmp/corrupt.db")"
check "trades, risk show and risk reset agree on a corrupt store ($codes)" test "$codes" = "1 1 1"
sqlite3 "$tmp/newer.db" "PRAGMA application_id = 1330860114; CREATE TABLE t(x); PRAGMA user_version = 99;"
check "a newer store: trades exits 2" run 2 "$tmp/s3" trades --db "$tmp/newer.db"
check "a newer store: risk show exits 2" run 2 "$tmp/s4" risk show --db "$tmp/newer.db"
check "a newer store: says so" has "$tmp/s4" "schema version 99 is newer"

# ---- 5. one writer per output folder; a kill leaves old or new outputs, never a mix ----
# Long enough (a bias check of 40 re-runs) for a second run to start while the first holds the folder.
long=(backtest --config "$base" --from 2021-01-01 --to 2026-01-01 --bias-check 40 --out "$tmp/shared")
check "a first run fills the folder" run 0 "$tmp/w0" "${long[@]}"
"$osprey" "${long[@]}" >"$tmp/w1" 2>&1 &
first=$!
wait_for "$tmp/.shared.partial-*"
check "a second run on the same --out fails at once" run 1 "$tmp/w2" "${long[@]}"
check "it says the folder is in use" has "$tmp/w2" "is in use by another osprey run (pid $first)"
wait "$first"
check "the first run still succeeds" test $? -eq 0
check "the folder holds one run's outputs: the store agrees with result.json" \
  test "$(sqlite3 "file:$tmp/shared/osprey.db?mode=ro" "SELECT count(*) FROM trades WHERE status = 'CLOSED'")" = \
  "$(grep -o '"n_trades": [0-9]*' "$tmp/shared/result.json" | grep -o '[0-9]*$')"
sha_before=$(cat "$tmp/shared"/* | sha256sum)
"$osprey" "${long[@]}" >"$tmp/w3" 2>&1 &
victim=$!
wait_for "$tmp/.shared.partial-*/osprey.db"
sleep 0.3
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
check "a killed run leaves the previous outputs byte-identical" \
  test "$(cat "$tmp/shared"/* | sha256sum)" = "$sha_before"
check "a killed run leaves its partial folder for the next run to clear" \
  compgen -G "$tmp/.shared.partial-$victim" >/dev/null
check "a killed run kept the equity rows it had committed" \
  test "$(sqlite3 "file:$tmp/.shared.partial-$victim/osprey.db?mode=ro" \
    'SELECT count(*) FROM equity_snapshots' 2>/dev/null || echo 0)" -gt 0
check "the next run succeeds" run 0 "$tmp/w4" "${long[@]}"
check "and clears the killed run's partial folder" test ! -e "$tmp/.shared.partial-$victim"
mkdir -p "$tmp/mine"
echo "my notes" >"$tmp/mine/notes.txt"
check "an --out folder holding other files is refused" run 2 "$tmp/w5" backtest --config "$base" \
  --out "$tmp/mine"
check "and left alone" test "$(cat "$tmp/mine/notes.txt")" = "my notes"
echo precious >"$tmp/victim.txt"
ln -sf "$tmp/victim.txt" "$tmp/out/report.html"
check "a run with a planted symlink in --out" run 0 "$tmp/w6" backtest --config "$base"
check "never writes through it" test "$(cat "$tmp/victim.txt")" = precious
check "and replaces it by a real file" test -f "$tmp/out/report.html" -a ! -L "$tmp/out/report.html"

# ---- 6. bounded resources ----
mkdir -p "$tmp/d_bomb/klines/1h"
{
  printf 'open_time_ms,open,high,low,close,volume,note\n1735689600000,1,2,0.5,1.5,10,'
  head -c 268435456 /dev/zero | tr '\0' '7'
  printf '\n'
} | gzip -1 >"$tmp/d_bomb/klines/1h/BTCUSDT.csv.gz"
check "a gzip line out of proportion exits 1" run 1 "$tmp/b1" backtest --config "$base" \
  --symbols BTCUSDT --data "$tmp/d_bomb"
check "and says why" has "$tmp/b1" "out of proportion"
check "a period past the data is clipped, not replayed" run 0 "$tmp/b2" backtest --config "$base" \
  --symbols BTCUSDT --from 2026-05-01 --to 9999-12-31
check "with a warning" has "$tmp/b2" "after the data: the run stops at 2026-05-16T18:00:00Z"
check "the summary shows the clipped period" has "$tmp/b2" "2026-05-01T00:00:00Z .. 2026-05-16T18:00:00Z"
check "no equity mark lies past the last candle's close (--to is 9999)" test \
  "$(sqlite3 "file:$tmp/out/osprey.db?mode=ro" 'SELECT max(time) FROM equity_snapshots')" -le 1778954400000
check "and result.json's period" has "$tmp/out/result.json" '"to": "2026-05-16T18:00:00Z"'
mkfifo "$tmp/fifo"
mkdir -p "$tmp/d_fifo/klines/1h"
mkfifo "$tmp/d_fifo/klines/1h/BTCUSDT.csv.gz"
check "a FIFO as config exits 2 at once" run 2 "$tmp/b3" config check "$tmp/fifo"
check "a FIFO as data exits 2 at once" run 2 "$tmp/b4" backtest --config "$base" --symbols BTCUSDT \
  --data "$tmp/d_fifo"
check "a FIFO as --db exits 2 at once" run 2 "$tmp/b5" trades --db "$tmp/fifo"
check "config check /dev/zero exits 2 at once" run 2 "$tmp/b6" config check /dev/zero
mkdir -p "$tmp/d_x10/klines/1h" "$tmp/d_x10/klines/1m"
printf 'open_time_ms,open,high,low,close,volume\n1735689600000,100,110,90,105,1\n1735693200000,105,106,104,105,1\n' \
  | gzip >"$tmp/d_x10/klines/1h/BTCUSDT.csv.gz"
printf 'open_time_ms,open,high,low,close,volume\n1735689600000,1000,1100,900,1050,1\n' \
  | gzip >"$tmp/d_x10/klines/1m/BTCUSDT.csv.gz"
minutes=$(variant minutes 's/^use_minute_candles = false/use_minute_candles = true/')
check "1m prices ten times the hourly ones exit 1" run 1 "$tmp/b7" backtest --config "$minutes" \
  --symbols BTCUSDT --data "$tmp/d_x10" --from 2025-01-01 --to 2025-01-02
check "and say which minute" has "$tmp/b7" "outside its hour's range"

# ---- 7. secrets ----
secret="sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
printf 'mode = "%s"\n' "$secret" >"$tmp/secret_mode.toml"
check "a secret-looking value in mode exits 2" run 2 "$tmp/k1" config check "$tmp/secret_mode.toml"
check "without echoing it" hasnt "$tmp/k1" "AbCdEfGh"
printf 'ANTHROPIC_API_KEY=%s\n' "$secret" >"$tmp/dotenv"
chmod 644 "$tmp/dotenv"
check "a .env readable by others is refused" run 2 "$tmp/k2" secrets check --env "$tmp/dotenv"
check "with the fix" has "$tmp/k2" "chmod 600"
check "without echoing the secret" hasnt "$tmp/k2" "AbCdEfGh"
chmod 600 "$tmp/dotenv"
check "a private .env is read" run 0 "$tmp/k3" secrets check --env "$tmp/dotenv"
check "showing only the secret's last four characters" has "$tmp/k3" "****6789"
check "and nothing more of it" hasnt "$tmp/k3" "AbCdEfGh"

# ---- 8. every stored name reads back ----
# A store of its own with closed trades (the reference rules trade 7 times in this half-year).
check "a half-year reference run for the store" run 0 "$tmp/e0" backtest \
  --config config/reference.toml --from 2024-01-01 --to 2024-07-01 --out "$tmp/e_out"
check "which closed trades" test "$(sqlite3 "$tmp/e_out/osprey.db" \
  "SELECT count(*) FROM trades WHERE status = 'CLOSED'")" -gt 0
cp "$tmp/e_out/osprey.db" "$tmp/emergency.db"
sqlite3 "$tmp/emergency.db" "UPDATE trades SET exit_reason = 'EMERGENCY_EXIT' WHERE id = \
  (SELECT min(id) FROM trades WHERE status = 'CLOSED'); UPDATE fills SET reason = 'EMERGENCY_EXIT' \
  WHERE rowid = (SELECT min(rowid) FROM fills WHERE reason <> 'NONE');"
check "a store holding an EMERGENCY_EXIT trade is listed by trades" run 0 "$tmp/e1" trades \
  --db "$tmp/emergency.db"
check "with its exit reason" has "$tmp/e1" "EMERGENCY_EXIT"

finish

#!/usr/bin/env bash
# Rebuilds the seed corpus fuzz/corpus/<target>/ from the project's real files: the shipped
# klines (data/), the shipped configurations (config/) and a trade store written by the osprey
# binary (build/release/osprey, built with the release preset when missing). Deterministic apart
# from the store (SQLite pages carry no timestamps, but a different build may write different
# rows). Needs gzip, awk and the sqlite3 command-line shell.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
# Everything but the regression-* inputs, which fuzzing found and which are kept by hand.
[ -d "$out" ] && find "$out" -type f ! -name 'regression-*' -delete
mkdir -p "$out/candle_file" "$out/settings" "$out/store_file"

# ---- candle_file: the first byte picks the interval ('h': 1 hour, 'm': 1 minute) -------------
csv=$out/candle_file
btc() { zcat data/klines/1h/BTCUSDT.csv.gz | sed -n "$1"; }
doge() { zcat data/klines/1m/DOGEUSDT.csv.gz | sed -n "$1"; }
seed() { # seed FILE INTERVAL_CHAR < content
  { printf '%s' "$2"; cat; } >"$1"
}
btc 1,40p | seed "$csv/btcusdt-1h-40.csv" h
btc 1,40p | gzip -n -9 | seed "$csv/btcusdt-1h-40.csv.gz" h
doge 1,40p | seed "$csv/dogeusdt-1m-40.csv" m
doge 1,40p | gzip -n -9 | seed "$csv/dogeusdt-1m-40.csv.gz" m
btc 1,20p | sed 's/$/\r/' | seed "$csv/btcusdt-1h-crlf.csv" h
# Extra columns, required ones reordered.
btc 1,20p |
  awk -F, -v OFS=, '{ print (NR == 1 ? "symbol" : "BTCUSDT"), $5, $4, $3, $2, $1, $6, $8 }' |
  seed "$csv/btcusdt-1h-columns.csv" h
# A one-hour hole (2021-02-11 04:00, a Binance outage) and a bar without trades.
{ btc 1p; btc 980,1000p; } | seed "$csv/btcusdt-1h-gap.csv" h
# UTF-8 byte order mark, only the six required columns, no final newline.
{ printf '\xef\xbb\xbf'; doge 1,11p | cut -d, -f1-6 | head -c -1; } |
  seed "$csv/dogeusdt-1m-bom.csv" m
# Two gzip members, as `cat a.gz b.gz` makes.
{ btc 1,10p | gzip -n -9; btc 11,20p | gzip -n -9; } | seed "$csv/btcusdt-1h-members.csv.gz" h
# Refused: rows out of order; a header without rows.
{ btc 1,3p; btc 5p; btc 4p; } | seed "$csv/btcusdt-1h-unsorted.csv" h
btc 1p | seed "$csv/header-only.csv" h

# ---- settings ---------------------------------------------------------------------------------
toml=$out/settings
cp config/osprey.toml "$toml/osprey.toml"
cp config/reference.toml "$toml/reference.toml"
: >"$toml/empty.toml"
printf 'mode = "backtest"\n' >"$toml/minimal.toml"
cat >"$toml/inline.toml" <<'EOF'
capital = { starting_capital = "2500.50", account_currency = "USDT" }
exits.take_profit_percents = [1.5, 4]
exits.take_profit_fractions = [50, 50]
risk.sizing = "fixed_fraction"
risk.fixed_fraction_percent = 5

[exchange.symbols.ETHUSDT]
base_asset = "ETH"
quote_asset = "USDT"
tick_size = 0.01
step_size = "0.0001"
min_notional = 5

[data]
symbols = ["ETHUSDT"]

[backtest]
from = 2024-01-01
to = "2024-06-30T12:00:00Z"
EOF
cat >"$toml/invalid-values.toml" <<'EOF'
mode = "live"
[capital]
starting_capital = -5
acount_currency = "USDT"
[risk]
risk_per_trade_percent = "lots"
sizing = "martingale"
api_key = "0123456789abcdef0123456789abcdef"
[exits]
take_profit_percents = [8, 5]
take_profit_fractions = [60, 60]
[circuit_breakers]
max_consecutive_losses = 1.5
[timing]
analysis_interval_minutes = 1e400
[backtst]
from = "yesterday"
EOF
printf '[risk\nsizing = kelly\n"unterminated = 1\n' >"$toml/invalid-syntax.toml"

# ---- store_file (named *.sqlite: .gitignore ignores *.db) --------------------------------------
db=$out/store_file
osprey=build/release/osprey
if [ ! -x "$osprey" ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target osprey
fi
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
"$osprey" backtest --config config/reference.toml --analyst reference --symbols BTCUSDT \
  --from 2024-01-01 --to 2024-03-01 --out "$run/out" >/dev/null
sqlite3 "$run/out/osprey.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$run/out/osprey.db" "$db/osprey-backtest.sqlite"
# The same store repacked by SQLite in rollback-journal mode with 512-byte pages (a third of the
# size: cheaper to run and to mutate), and that copy claiming a schema newer than any build.
cp "$run/out/osprey.db" "$run/compact.db"
sqlite3 "$run/compact.db" 'PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM' >/dev/null
cp "$run/compact.db" "$db/osprey-backtest-compact.sqlite"
sqlite3 "$run/compact.db" 'PRAGMA user_version=99' >/dev/null
cp "$run/compact.db" "$db/osprey-newer-schema.sqlite"
# An Osprey store claimed but never migrated; another application's database; not SQLite.
sqlite3 "$db/osprey-unmigrated.sqlite" \
  'PRAGMA page_size=512; PRAGMA application_id=1330860114; VACUUM'
sqlite3 "$db/foreign.sqlite" "PRAGMA page_size=512; CREATE TABLE notes (id INTEGER PRIMARY KEY,
  body TEXT); INSERT INTO notes (body) VALUES ('hello')"
: >"$db/empty.sqlite"
printf 'open_time_ms,open,high,low,close,volume\n' >"$db/not-sqlite.txt"

du -sh "$out"
find "$out" -type f | sort | xargs ls -l | awk '{ print $5, $9 }'

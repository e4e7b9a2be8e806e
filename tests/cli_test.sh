#!/usr/bin/env bash
# End-to-end: the `osprey` binary started as a user would. Usage: cli_test.sh PATH/TO/osprey
set -uo pipefail
osprey=$1
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli_lib.sh
source tests/cli_lib.sh

check "help lists backtest" bash -c "'$osprey' --help | grep -q backtest"
check "config check default" run 0 "$tmp/c1" config check config/osprey.toml
check "config check reference" run 0 "$tmp/c2" config check config/reference.toml
# config check says what the config means for sizing (figures: docs/sizing.md).
check "config check: risk and notional per trade" has "$tmp/c1" \
  "risks 10.00 (1.00% of equity) at the stop, notional 333.33 (33.33% of equity)"
check "config check: heat" has "$tmp/c1" \
  "heat: cap 60.00 (6% of equity); 3 positions opened one after another risk 29.96 (3.00%)"
check "config check: smallest equity" has "$tmp/c1" \
  "smallest equity for a trade: 15.47 USDT (min notional 5 of BTCUSDT at the stop)"
check "config check: stop-outs for the daily limits" has "$tmp/c1" \
  "daily_max_loss 100 USDT needs 10 stop-outs; daily_max_loss_percent 10% needs 10 stop-outs"
check "config check: the reference's fixed 20%" has "$tmp/c2" \
  "per trade: fixed 20% of equity; risks 60.00 (0.60% of equity) at the stop, notional 2000.00"

printf 'mode = "backtest"\n[risk]\nrisk_per_trade_pct = 2\n' >"$tmp/bad.toml"
check "unknown key exits 2" run 2 "$tmp/c3" config check "$tmp/bad.toml"
check "unknown key is named" grep -q "risk.risk_per_trade_pct" "$tmp/c3"
printf '[exits]\ntake_profit_percents = [3, 8, 5]\n' >"$tmp/bad2.toml"
check "inconsistent take-profits exit 2" run 2 "$tmp/c4" config check "$tmp/bad2.toml"
check "inconsistent take-profits named" grep -q "exits.take_profit_percents" "$tmp/c4"
check "backtest with bad config exits 2" run 2 "$tmp/c5" backtest --config "$tmp/bad.toml"

ref_nodata=(backtest --config config/reference.toml --analyst reference --symbols BTCUSDT --json)
ref=("${ref_nodata[@]}" --data data)
check "reference backtest runs" run 0 "$tmp/r1.json" "${ref[@]}" --out "$tmp/a"
for key in n_trades final_equity return_pct max_drawdown_pct max_drawdown_abs win_rate \
  profit_factor sharpe n_candles wall_time_s candles_per_second final_cash trades \
  open_position entry_time_ms entry_index entry_price qty entry_fee fills exit_time_ms \
  exit_index exit_price exit_reason pnl return_pct; do
  check "json has $key" grep -q "\"$key\":" "$tmp/r1.json"
done
check "reference run has trades" bash -c "! grep -q '\"n_trades\":0,' '$tmp/r1.json'"
check "reference run wrote the store" test -s "$tmp/a/osprey.db"
check "reference run wrote the report" grep -q "<svg" "$tmp/a/report.html"
check "report needs no network" bash -c "! grep -q -E 'https?://' '$tmp/a/report.html'"

check "second identical run" run 0 "$tmp/r2.json" "${ref[@]}" --out "$tmp/b"
strip() { grep -v -E '"(wall_time_s|candles_per_second)"' "$1" | sed "s#$tmp/[ab]##g"; }
check "result.json byte-identical apart from timing" cmp -s <(strip "$tmp/a/result.json") <(strip "$tmp/b/result.json")
check "report.html byte-identical" cmp -s "$tmp/a/report.html" "$tmp/b/report.html"
check "stdout json identical apart from timing" cmp -s \
  <(sed -E 's/"(wall_time_s|candles_per_second)":[^,]*,//g; s#'"$tmp"'/[ab]##g' "$tmp/r1.json") \
  <(sed -E 's/"(wall_time_s|candles_per_second)":[^,]*,//g; s#'"$tmp"'/[ab]##g' "$tmp/r2.json")

check "trades lists the store" run 0 "$tmp/t1" trades --db "$tmp/a/osprey.db"
check "trades shows a reason" grep -q -E "TAKE_PROFIT|STOP_LOSS|TRAILING_STOP" "$tmp/t1"
check "trades on a missing store exits 2" run 2 "$tmp/t2" trades --db "$tmp/none.db"
check "risk show" run 0 "$tmp/t3" risk show --db "$tmp/a/osprey.db"
check "the log carries simulated time, not wall time" \
  bash -c "grep -m1 -E '^info +[0-9TZ:-]+ BUY ' '$tmp/a/osprey.log' | grep -q -E '^info +2021-01-[0-9]{2}T[0-9:]+Z BUY '"
check "no log line opens with a wall-clock stamp" bash -c "! grep -q -E '^[0-9]' '$tmp/a/osprey.log'"
for period in day week month; do
  check "report --period $period" run 0 "$tmp/p_$period" report --period "$period" --db "$tmp/a/osprey.db"
done
check "daily table has the spec's columns" has "$tmp/p_day" "win %  max wins  max losses  largest win largest loss"
check "weekly table has the spec's columns" has "$tmp/p_week" "profit factor  Sharpe  avg duration h capital eff. %"
check "monthly table has the spec's columns" has "$tmp/p_month" "ROI %          P&L trades  max drawdown %  Calmar"
check "weekly rows are ISO weeks" grep -q -E '^2021-W0[0-9] ' "$tmp/p_week"
month_pnl() { awk '$1 == "2021-02" { print $3 }' "$tmp/p_month"; }
html_pnl() { grep -o '<td class="l">2021-02</td><td>[^<]*</td><td>[^<]*</td><td[^>]*>[^<]*' \
  "$tmp/a/report.html" | sed 's/.*>//'; }
check "a month's P&L equals the HTML report's" test -n "$(month_pnl)" -a "$(month_pnl)" = "$(html_pnl)"
check "report with a bad period exits 2" run 2 "$tmp/p1" report --period year --db "$tmp/a/osprey.db"
check "and names the choices" has "$tmp/p1" "--period: 'year' is not day, week or month"
check "report on a missing store exits 2" run 2 "$tmp/p2" report --period day --db "$tmp/none.db"
check "report without --period exits 2" run 2 "$tmp/p3" report --db "$tmp/a/osprey.db"

check "lower-case symbol refused" run 2 "$tmp/e1" backtest --symbols btcusdt --out "$tmp/e"
check "missing data dir exits 2" run 2 "$tmp/e2" "${ref_nodata[@]}" --data "$tmp/nodata" --out "$tmp/e"
check "missing data file is named" grep -q "nodata/klines/1h/BTCUSDT.csv.gz" "$tmp/e2"
mkdir -p "$tmp/bad/klines/1h"
printf 'open_time_ms,open,high,low,close,volume\n1704067200000,1,2,0.5,1.5,10\n1704070800000,1,x,0.5,1.5,10\n' \
  >"$tmp/bad/klines/1h/BTCUSDT.csv.gz"
check "malformed data exits 1" run 1 "$tmp/e3" "${ref_nodata[@]}" --data "$tmp/bad" --out "$tmp/e"
check "malformed data names file and line" grep -q "BTCUSDT.csv.gz:3" "$tmp/e3"
check "empty period refused" run 2 "$tmp/e4" backtest --from 2025-01-01 --to 2024-01-01 --out "$tmp/e"
check "bad date refused" run 2 "$tmp/e5" backtest --from 2025-13-01 --out "$tmp/e"

check "default config, one month, with bias check" run 0 "$tmp/d1" backtest --from 2025-03-01 \
  --to 2025-04-01 --out "$tmp/d" --bias-check 3
check "default summary printed" grep -q "Final equity" "$tmp/d1"

finish

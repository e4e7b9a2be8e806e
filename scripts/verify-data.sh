#!/usr/bin/env bash
# Checks every data file listed in data/manifest.csv against its recorded byte size and SHA-256,
# and that no kline file is shipped without a manifest row. Exits non-zero naming each bad file.
# Usage: scripts/verify-data.sh [DATA_DIR]   (default: data/ next to this script's parent)
set -euo pipefail

data_dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/data}"
manifest="$data_dir/manifest.csv"
[[ -f "$manifest" ]] || { echo "verify-data: missing $manifest" >&2; exit 1; }

failed=0
checked=0
declare -A listed=()
# Columns: path,rows,first_key,last_key,bytes,sha256 (no field contains a comma).
while IFS=, read -r path rows first last bytes sha; do
  [[ "$path" == "path" ]] && continue
  [[ -z "$path" ]] && continue
  sha="${sha%$'\r'}"
  listed["$path"]=1
  file="$data_dir/$path"
  if [[ ! -f "$file" ]]; then
    echo "verify-data: MISSING $file" >&2
    failed=1
    continue
  fi
  actual_bytes=$(stat -c %s "$file")
  if [[ "$actual_bytes" != "$bytes" ]]; then
    echo "verify-data: SIZE MISMATCH $file: $actual_bytes bytes, manifest says $bytes" >&2
    failed=1
    continue
  fi
  actual_sha=$(sha256sum "$file" | cut -d' ' -f1)
  if [[ "$actual_sha" != "$sha" ]]; then
    echo "verify-data: SHA256 MISMATCH $file: $actual_sha, manifest says $sha" >&2
    failed=1
    continue
  fi
  checked=$((checked + 1))
done < "$manifest"

while IFS= read -r -d '' file; do
  rel="${file#"$data_dir"/}"
  if [[ -z "${listed[$rel]:-}" ]]; then
    echo "verify-data: NOT IN MANIFEST $file" >&2
    failed=1
  fi
done < <(find "$data_dir/klines" -name '*.csv.gz' -print0 2>/dev/null)

if [[ "$failed" != 0 ]]; then
  echo "verify-data: FAILED ($checked files OK)" >&2
  exit 1
fi
echo "verify-data: OK, $checked files match $manifest"

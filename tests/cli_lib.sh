# Helpers shared by the end-to-end tests: sourced after `osprey` (the binary) and `tmp` are set.
passed=0
failed=0
check() {  # check NAME CONDITION... : counts CONDITION's result, prints NAME when it fails
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name"
  fi
}
run() {  # run EXPECTED_EXIT OUTFILE ARGS... : osprey with stdout+stderr to OUTFILE, at most 600 s
  local want=$1 out=$2
  shift 2
  timeout 600 "$osprey" "$@" >"$out" 2>&1
  local got=$?
  [ "$got" -eq "$want" ] || { echo "exit $got, wanted $want: osprey $*"; cat "$out"; return 1; }
}
has() { grep -q -F -- "$2" "$1" || { echo "'$2' not in $1:"; cat "$1"; return 1; }; }
hasnt() { ! grep -q -F -- "$2" "$1" || { echo "'$2' unexpectedly in $1:"; cat "$1"; return 1; }; }
wait_for() {  # wait_for GLOB : until a path matches GLOB, at most 10 s
  for _ in $(seq 200); do
    compgen -G "$1" >/dev/null && return 0
    sleep 0.05
  done
  return 1
}
finish() {  # prints the counts; the exit status says whether every check passed
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

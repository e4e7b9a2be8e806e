#!/usr/bin/env bash
# The include graph must match the CMake graph: a file under src/DIR may `#include "X/..."` only
# when X is its own component or one its CMake target depends on (DEPS of osprey_component(),
# transitively); a test (*_test.cpp) may also use its component's TEST_DEPS. The layers are read
# from CMakeLists.txt, so a new dependency is declared once, there. Fails naming file and line of
# every upward or sideways include.
# Usage: check-includes.sh [ROOT]   (ROOT holds CMakeLists.txt and src/; default: this repo)
set -euo pipefail
root=${1:-"$(dirname "$0")/.."}
exec python3 - "$root" <<'PY'
import os, re, sys

root = sys.argv[1]
cmake = open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8").read()
cmake = re.sub(r"#[^\n]*", "", cmake)

# osprey_component(DIR TARGET DEPS ... TEST_DEPS ...), possibly over several lines.
components = {}  # dir -> (target, deps, test_deps)
for m in re.finditer(r"^\s*osprey_component\(([^)]*)\)", cmake, re.M):
    words = m.group(1).split()
    if len(words) < 2:
        continue
    d, target = words[0], words[1]
    deps, test_deps, into = [], [], None
    for w in words[2:]:
        if w in ("DEPS", "TEST_DEPS"):
            into = deps if w == "DEPS" else test_deps
        elif into is not None:
            into.append(w)
    components[d] = (target, deps, test_deps)
if not components:
    sys.exit(f"check-includes: no osprey_component() in {root}/CMakeLists.txt")
dir_of = {t: d for d, (t, _, _) in components.items()}

def closure(targets):
    seen, todo = set(), list(targets)
    while todo:
        t = todo.pop()
        if t in dir_of and dir_of[t] not in seen:
            seen.add(dir_of[t])
            todo.extend(components[dir_of[t]][1])
    return seen

def component_of(path):  # the longest component dir that `path` (relative to src/) lies in
    best = None
    for d in components:
        if (path == d or path.startswith(d + "/")) and (best is None or len(d) > len(best)):
            best = d
    return best

include = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
problems = 0
src = os.path.join(root, "src")
for dirpath, _, files in sorted(os.walk(src)):
    for name in sorted(files):
        if not name.endswith((".cpp", ".hpp", ".h")):
            continue
        rel = os.path.relpath(os.path.join(dirpath, name), src)
        own = component_of(os.path.dirname(rel))
        if own is None:
            continue
        _, deps, test_deps = components[own]
        allowed = {own} | closure(deps)
        if name.endswith("_test.cpp"):
            allowed |= closure(test_deps)
        with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                m = include.match(line)
                if not m:
                    continue
                target = component_of(os.path.dirname(m.group(1)))
                if target is not None and target not in allowed:
                    problems += 1
                    print(f"src/{rel}:{n}: includes \"{m.group(1)}\" but {own} does not depend "
                          f"on {target} (CMakeLists.txt)")
if problems:
    print(f"check-includes: {problems} include(s) against the CMake graph")
    sys.exit(1)
print(f"check-includes: every include of src/ follows the CMake graph ({len(components)} components)")
PY

#!/usr/bin/env bash
# Mutation testing (mutmut) of a few core modules against the tests that guard them.
#
#   bench/mutation.sh                                   kiosk/cases.py, kiosk/store.py vs tests/core tests/domain
#   bench/mutation.sh sync/client.py -- tests/sync      other modules, other tests
#
# mutmut writes a mutated copy of the tree (`mutants/`) where it runs; so that other work in this
# tree is not disturbed, it runs in a copy of the tracked files under build/mutation/<name>/.
# Prints mutmut's summary and the surviving mutants; `mutmut show NAME` in that directory shows
# one. Environment: MUTMUT_CHILDREN (default 2), XIANGLI_VENV.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${XIANGLI_VENV:-$ROOT/.venv}"
targets=()
tests=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; tests=("$@"); break; fi
  targets+=("$1"); shift
done
[ ${#targets[@]} -gt 0 ] || targets=(kiosk/cases.py kiosk/store.py)
[ ${#tests[@]} -gt 0 ] || tests=(tests/core tests/domain)

name="$(printf '%s_' "${targets[@]}" | tr '/.' '--' | sed 's/_$//')"
work="$ROOT/build/mutation/$name"
rm -rf "$work"
mkdir -p "$work"
# The tracked files as they are in the work tree now (committed or not).
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c '[ -e "{}" ] && printf "%s\0" "{}"' | tar --null -T - -cf -) | tar -xf - -C "$work"

# mutmut mutates whole packages and copies `also_copy` over them after mutating, so: mutate the
# targets' packages, list every other module of them under do_not_mutate, and copy the rest.
{
  echo
  echo "[mutmut]"
  echo "paths_to_mutate ="
  for pkg in $(for t in "${targets[@]}"; do echo "${t%%/*}"; done | sort -u); do echo "    $pkg/"; done
  echo "do_not_mutate ="
  for pkg in $(for t in "${targets[@]}"; do echo "${t%%/*}"; done | sort -u); do
    (cd "$work" && find "$pkg" -name '*.py') | while read -r f; do
      keep=0
      for t in "${targets[@]}"; do [ "$f" = "$t" ] && keep=1; done
      [ $keep = 1 ] || echo "    $f"
    done
  done
  echo "also_copy ="
  for d in domain drivers kiosk sync ui assets bench; do
    skip=0
    for t in "${targets[@]}"; do [ "${t%%/*}" = "$d" ] && skip=1; done
    [ $skip = 1 ] || echo "    $d/"
  done
  echo "tests_dir ="
  for t in "${tests[@]}"; do echo "    $t"; done
} >> "$work/setup.cfg"

# mutmut 3.3.1 reads `item._nodeid`, which pytest 9 no longer has: give it one (in the copy only).
cat >> "$work/tests/conftest.py" <<'PY'


def pytest_collection_modifyitems(items):  # added by bench/mutation.sh for mutmut 3.3.1
    for item in items:
        if not hasattr(item, "_nodeid"):
            item._nodeid = item.nodeid
PY

cd "$work"
export QT_QPA_PLATFORM=offscreen
"$VENV/bin/mutmut" run --max-children "${MUTMUT_CHILDREN:-2}" | tail -n 3 || true
echo ">> surviving mutants ($work)"
"$VENV/bin/mutmut" results | tee "$work/survivors.txt"

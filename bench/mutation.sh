#!/usr/bin/env bash
# Mutation testing (mutmut) of a few core modules against the tests that guard them.
#
#   bench/mutation.sh                                   kiosk/cases.py, kiosk/store.py vs tests/core tests/domain
#   bench/mutation.sh sync/client.py -- tests/sync/test_x.py   other modules, other tests
#   bench/mutation.sh --resume sync/client.py          go on where a stopped run left off
#   bench/mutation.sh --resume sync/client.py -- TESTS -- 'sync.client.*push*'   these mutants
#       again, with TESTS (copied in afresh: e.g. new tests) as mutmut's tests
#
# The runs of docs/MUTATION.md: `bench/mutation.sh sync/client.py -- $(bench/mutation.sh
# --tests-of sync/client.py)`, the same for sync/hub/ops.py.
#
# mutmut writes a mutated copy of the tree (`mutants/`) where it runs; so that other work in this
# tree is not disturbed, it runs in a copy of the tracked files under build/mutation/<name>/.
# Prints mutmut's summary (its whole output: mutmut.log there) and the surviving mutants; `mutmut show NAME` in that directory shows
# one. --resume keeps that copy and the results so far (results.json; the mutants already run
# are not run again unless named; the copy is not refreshed). Tests parametrised over PostgreSQL are left out (SQLite
# only). A hub the tests start in a child process runs the mutated code too (the environment
# carries the mutant's name); what it calls is reported back to mutmut's per-test statistics
# through a file (MUTATION_HITS), so a mutant of the hub's code runs the tests that reach it.
# Environment: MUTMUT_CHILDREN (default 1), MUTATION_NICE (default 10), XIANGLI_VENV,
# MUTATION_WORK (another copy: e.g. a `cp -a` of one, to run half its mutants beside it),
# MUTATION_DESELECT (words, comma-separated: tests whose id holds one are left out).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${XIANGLI_VENV:-$ROOT/.venv}"
# The tests that guard each module (kept short: every mutant runs the ones that reach it).
tests_of() {
  case "$1" in
    sync/client.py) echo tests/sync/test_mutants_client.py tests/sync/test_protocol_v2.py \
      tests/sync/test_blobs.py tests/sync/test_lookup.py tests/sync/test_trust_pull.py \
      tests/sync/test_restore_kiosk.py ;;
    # One hub serves every run (see below): no test that publishes county-wide changes (a
    # fresh kiosk's first pull would not be empty in the next run).
    sync/hub/ops.py) v2=tests/hub/test_hub_v2_kinds.py
      echo tests/hub/test_mutants_ops.py tests/hub/test_hub_api.py tests/hub/test_trust_records.py \
      $v2::test_agent_actions_go_through_the_hubs_table \
      $v2::test_agent_action_conflicts_when_the_county_moved_the_case \
      $v2::test_supplement_list_goes_back_as_missing $v2::test_feedback_and_its_answer ;;
    *) echo tests/core tests/domain ;;
  esac
}
if [ "${1:-}" = "--tests-of" ]; then tests_of "$2"; exit 0; fi
# Feed tests that move the whole shared hub (a new epoch) or lean on timing: not about ops.
case " $* " in
  *" sync/hub/ops.py "*) export MUTATION_DESELECT="${MUTATION_DESELECT-test_concurrent_changes_are_never_skipped,test_new_epoch_restarts_pulls}" ;;
esac
resume=0
if [ "${1:-}" = "--resume" ]; then resume=1; shift; fi
targets=()
tests=()
only=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then
    shift
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do tests+=("$1"); shift; done
    [ $# -gt 0 ] && shift && only=("$@")
    break
  fi
  targets+=("$1"); shift
done
[ ${#targets[@]} -gt 0 ] || targets=(kiosk/cases.py kiosk/store.py)
tests_given=(${tests[@]+"${tests[@]}"})
[ ${#tests[@]} -gt 0 ] || tests=(tests/core tests/domain)

name="$(printf '%s_' "${targets[@]}" | tr '/.' '--' | sed 's/_$//')"
work="${MUTATION_WORK:-$ROOT/build/mutation/$name}"
# mutmut 3.3.1 makes its mutants (and their results, `mutants/**/*.meta`) afresh on every run,
# so the results are also kept in results.json in the copy: merged after each run, put back in
# the .meta files, and a --resume without mutant names runs only the mutants not run yet.
merge_results() {  # merge_results [--todo]: prints the names not run yet with --todo
  (cd "$work" && python3 - "$@" <<'PY'
import json, sys
from pathlib import Path

kept_path = Path("results.json")
kept = json.loads(kept_path.read_text()) if kept_path.exists() else {}
metas = list(Path("mutants").rglob("*.py.meta"))
for meta in metas:
    for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
        if code is not None or name not in kept:
            kept[name] = code
kept_path.write_text(json.dumps(kept, indent=1, sort_keys=True))
for meta in metas:
    data = json.loads(meta.read_text())
    data["exit_code_by_key"] = {n: kept.get(n, c) for n, c in data["exit_code_by_key"].items()}
    meta.write_text(json.dumps(data))
if sys.argv[1:] == ["--todo"]:
    print("\n".join(n for n, c in kept.items() if c is None))
PY
  )
}

run_mutmut() {
  cd "$work"
  export QT_QPA_PLATFORM=offscreen MUTATION_HITS="$work/hits.txt"
  # mutmut 3.3.1's time-out check compares every running mutant with the shortest estimate of
  # the whole file (a loop variable): any run over ~15 s is stopped as "timeout". Run it with
  # the check per mutant (its own tests' estimate, x15, plus 30 s for a loaded machine).
  nice -n "${MUTATION_NICE:-10}" "$VENV/bin/python" -c '
import os, signal, sys, time
from datetime import datetime
import mutmut.__main__ as m

def timeout_checker(mutants):
    files = list({id(x[0]): x[0] for x in mutants}.values())
    def check():
        while True:
            time.sleep(1)
            now = datetime.now()
            for data in files:
                with m.START_TIMES_BY_PID_LOCK:
                    started = dict(data.start_time_by_pid)
                for pid, start in started.items():
                    limit = (data.estimated_time_of_tests_by_pid.get(pid, 0) + 1) * 15 + 30
                    if (now - start).total_seconds() > limit:
                        try:
                            os.kill(pid, signal.SIGXCPU)
                        except ProcessLookupError:
                            pass
    return check

m.timeout_checker = timeout_checker
sys.argv[0] = "mutmut"
m.cli()
' run --max-children "${MUTMUT_CHILDREN:-1}" ${only[@]+"${only[@]}"} | tee "$work/mutmut.log" | tail -n 3 || true
  merge_results
  echo ">> surviving mutants ($work)"
  "$VENV/bin/mutmut" results | tee "$work/survivors.txt"
}
stop_shared_hub() {
  if [ -f "$work/shared-hub.json" ]; then
    pid="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$work/shared-hub.json")"
    kill "$pid" 2>/dev/null || true
    rm -f "$work/shared-hub.json"
  fi
}
export MUTATION_HUB_STATE="$work/shared-hub.json"
if [ $resume = 1 ] && [ -d "$work/mutants" ]; then
  if [ ${#tests_given[@]} -gt 0 ]; then
    # Tests given again: copy their files in (new tests), make them mutmut's tests and collect
    # its statistics anew; the mutants named after the second -- are run again.
    for t in "${tests[@]}"; do
      f="${t%%::*}"
      cp "$ROOT/$f" "$work/$f"
      cp "$ROOT/$f" "$work/mutants/$f"
    done
    python3 - "$work/setup.cfg" "${tests[@]}" <<'PY'
import sys
path, tests = sys.argv[1], sys.argv[2:]
lines = open(path).read().split("\n")
start = max(i for i, line in enumerate(lines) if line.startswith("tests_dir ="))
end = start + 1
while end < len(lines) and lines[end].startswith("    "):
    end += 1
lines[start:end] = ["tests_dir ="] + ["    " + t for t in tests]
open(path, "w").write("\n".join(lines))
PY
    rm -f "$work/mutants/mutmut-stats.json"
  fi
  if [ ${#only[@]} -eq 0 ]; then
    mapfile -t only < <(merge_results --todo)
    [ ${#only[@]} -gt 0 ] || { echo "every mutant has been run"; exit 0; }
  fi
  # The shared hub starts afresh (its numbers and terminals of an earlier run would collide
  # with the tests' new ones: "case_no_taken" at mutmut's first, statistics run).
  stop_shared_hub
  rm -rf "$work/hub-data"
  trap stop_shared_hub EXIT
  run_mutmut
  exit 0
fi
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

# In the copy only: mutmut 3.3.1 reads `item._nodeid`, which pytest 9 no longer has; SQLite only;
# the hub's calls (in its child process) join mutmut's statistics; a test's time is its setup's
# (a hub starting), call's and teardown's (mutmut keeps the teardown's alone, and times out a
# mutant's run at 15 times its tests' time plus one second).
cat >> "$work/tests/conftest.py" <<'PY'


import os as _mutation_os  # noqa: E402  (added by bench/mutation.sh)

_mutation_durations: dict = {}


def pytest_collection_modifyitems(config, items):  # added by bench/mutation.sh
    left_out = ["postgresql", *filter(None, _mutation_os.environ.get("MUTATION_DESELECT", "").split(","))]
    keep = [i for i in items if not any(word in i.nodeid for word in left_out)]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep
    for item in items:
        if not hasattr(item, "_nodeid"):
            item._nodeid = item.nodeid


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):  # added by bench/mutation.sh
    path = _mutation_os.environ.get("MUTATION_HITS")
    if _mutation_os.environ.get("MUTANT_UNDER_TEST") != "stats" or not path:
        return
    import mutmut

    try:
        with open(path, "r+", encoding="utf-8") as f:
            mutmut._stats.update(line.strip() for line in f if line.strip())
            f.truncate(0)
    except FileNotFoundError:
        pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # added by bench/mutation.sh
    yield
    if _mutation_os.environ.get("MUTANT_UNDER_TEST") == "stats":
        import mutmut

        total = _mutation_durations.get(item.nodeid, 0.0) + call.duration
        _mutation_durations[item.nodeid] = total
        mutmut.duration_by_test[item.nodeid] = total
PY

# In the copy only: a hub (any Django process of the copy) records what it calls in stats mode
# (mutmut calls record_trampoline_hit only then).
cat >> "$work/sync/hub/settings.py" <<'PY'


def _mutation_hits() -> None:  # added by bench/mutation.sh
    path = os.environ.get("MUTATION_HITS")
    if not path:
        return
    import mutmut.__main__

    def record(name: str) -> None:
        with open(path, "a", encoding="utf-8") as f:
            f.write(name + "\n")

    mutmut.__main__.record_trampoline_hit = record


_mutation_hits()
PY

# In the copy only, for tests that start a county hub (tests/hub, tests/sync): one hub serves
# every mutant's run (a hub starting costs ~10 s, more than most runs' tests). It is started by
# the first run (mutmut's statistics) in its own session and stopped when this script ends; each
# request names the mutant under test (a header every `requests` call of the tests adds), and
# the hub takes it for that request, so the hub runs the mutant's code. Tests that start their
# own hub still do.
cat >> "$work/tests/conftest.py" <<'PY'


def _mutation_send_with_mutant():  # added by bench/mutation.sh
    import requests

    original = requests.Session.send

    def send(self, request, **kwargs):
        # quoted: a method's mutant name holds "ǁ", which an HTTP header cannot carry
        from urllib.parse import quote

        request.headers["X-Mutation-Mutant"] = quote(_mutation_os.environ.get("MUTANT_UNDER_TEST", ""))
        return original(self, request, **kwargs)

    requests.Session.send = send


def mutation_shared_hub():  # added by bench/mutation.sh: (url, data_dir, env) of the one hub
    import json
    import subprocess
    import sys
    import time
    from pathlib import Path

    from ui.hubprocess import READY, REPO, hub_env

    state = Path(_mutation_os.environ["MUTATION_HUB_STATE"])
    if not state.exists():
        data_dir = state.parent / "hub-data"
        env = hub_env(
            data_dir,
            None,
            {
                "XIANGLI_HUB_ALLOW_UNSIGNED": "1",
                "XIANGLI_HUB_MAX_PAST_DAYS": "0",
                "MUTANT_UNDER_TEST": "",
            },
        )
        data_dir.mkdir(parents=True, exist_ok=True)
        log_path = state.parent / "hub.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "sync.hub", "serve", "--host", "127.0.0.1", "--port", "0"]
                + ["--threads", "8"],
                env=env, cwd=REPO, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        for _ in range(1200):
            text = log_path.read_text()
            if READY in text:
                break
            assert proc.poll() is None, text
            time.sleep(0.1)
        url = "http://" + text.split(READY, 1)[1].split()[0]
        subprocess.run(
            [sys.executable, "-m", "sync.hub", "createstaff", "staff", "--password", "staff-pw-123"],
            env=env, cwd=REPO, check=True, capture_output=True,
        )
        state.write_text(json.dumps({"url": url, "data_dir": str(data_dir), "env": env, "pid": proc.pid}))
    data = json.loads(state.read_text())
    env = dict(data["env"], MUTANT_UNDER_TEST=_mutation_os.environ.get("MUTANT_UNDER_TEST", ""))
    return data["url"], Path(data["data_dir"]), env


if _mutation_os.environ.get("MUTATION_HUB_STATE"):
    _mutation_send_with_mutant()
PY
if [ -f "$work/tests/hub/conftest.py" ]; then
  cat >> "$work/tests/hub/conftest.py" <<'PY'


if __import__("os").environ.get("MUTATION_HUB_STATE"):  # added by bench/mutation.sh

    @pytest.fixture(scope="session")
    def hub() -> Iterator[Hub]:  # noqa: F811
        from tests.conftest import mutation_shared_hub

        url, _data_dir, env = mutation_shared_hub()
        yield Hub(backend="sqlite", url=url, env=env)
PY
fi
if [ -f "$work/tests/sync/conftest.py" ]; then
  cat >> "$work/tests/sync/conftest.py" <<'PY'


if __import__("os").environ.get("MUTATION_HUB_STATE"):  # added by bench/mutation.sh

    @pytest.fixture(scope="session")
    def hub() -> Iterator[HubProc]:  # noqa: F811
        from tests.conftest import mutation_shared_hub

        url, data_dir, env = mutation_shared_hub()
        proc = HubProc(data_dir)
        proc.env = env
        proc.port = int(url.rsplit(":", 1)[1])
        yield proc
PY
fi
cat >> "$work/sync/hub/settings.py" <<'PY'


def _mutation_middleware(get_response):  # added by bench/mutation.sh
    def middleware(request):
        name = request.headers.get("X-Mutation-Mutant")
        if name is not None:
            from urllib.parse import unquote

            os.environ["MUTANT_UNDER_TEST"] = unquote(name)
        return get_response(request)

    return middleware


if os.environ.get("MUTATION_HUB_STATE"):
    MIDDLEWARE = ["sync.hub.settings._mutation_middleware", *MIDDLEWARE]
PY

trap stop_shared_hub EXIT
run_mutmut

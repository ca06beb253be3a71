#!/usr/bin/env bash
# Starts the kit's Java kernel N times in a row (default 50) and reports how many starts failed.
#
#   bash environment/check-kernel.sh [N] [--raw]
#
# A start counts as good when the kernel answers kernel_info within the time limit, evaluates 6 * 7 to 42, and
# shuts down; its output must not contain the HMAC key of its connection file. The kit's launcher
# (environment/kernel/) holds back early requests until the kernel's handlers exist and replaces message-loop
# threads that the kernel's start-up race ended; each replacement is counted and reported as a "race hit" (without
# the launcher that start would have hung).
# --raw starts the kernel's own main class instead of the launcher (same classpath), to measure the races
# themselves; a hung start then costs the time limit (20 s).
# Exit status: 0 when every start succeeded (and, without --raw, none leaked the key), 1 otherwise.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPEC="$ROOT/environment/jupyter/kernels/icmlora/kernel.json"
[ -f "$SPEC" ] || { echo "no kernelspec at $SPEC: run environment/setup.sh first" >&2; exit 2; }

exec /usr/bin/python3 - "$SPEC" "$@" <<'PY'
import json, os, re, shutil, sys, tempfile, time
from jupyter_client import KernelManager

spec_path, args = sys.argv[1], sys.argv[2:]
raw = "--raw" in args
runs = int(next((a for a in args if a.isdigit()), "50"))
limit = 20 if raw else 60

work = tempfile.mkdtemp(prefix="icmlora-kernel-check-")
spec = json.load(open(spec_path))
if raw:
    i = spec["argv"].index("org.icmlora.kernel.KitKernelLauncher")
    spec["argv"][i] = "org.rapaio.jupyter.kernel.MainApp"
os.makedirs(os.path.join(work, "kernels", "icmlora"))
json.dump(spec, open(os.path.join(work, "kernels", "icmlora", "kernel.json"), "w"))
os.environ["JUPYTER_PATH"] = work

failures, race_hits, leaks, ready_times = [], 0, 0, []
started = time.time()
for n in range(1, runs + 1):
    log_path = os.path.join(work, f"kernel-{n}.log")
    km = KernelManager(kernel_name="icmlora")
    t0 = time.time()
    problem = None
    with open(log_path, "w") as log:
        km.start_kernel(stdout=log, stderr=log)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=limit)
            ready_times.append(time.time() - t0)
            results = []
            hook = lambda msg: results.extend(msg["content"].get("data", {}).values())
            reply = kc.execute_interactive("6 * 7", timeout=limit, output_hook=hook)
            if reply["content"]["status"] != "ok" or "42" not in results:
                problem = f"6 * 7 gave {results} ({reply['content']['status']})"
        except Exception as e:  # a start that hangs or breaks
            problem = f"{type(e).__name__}: {e}"
        finally:
            key = km.session.key.decode()
            kc.stop_channels()
            km.shutdown_kernel(now=problem is not None)
    text = open(log_path).read()
    repaired = re.findall(r"restarted the (\S+) loop .*?(\d+) ms after", text)
    hits = len(repaired)
    race_hits += hits
    if key and key in text:
        leaks += 1
        problem = (problem + "; " if problem else "") + "connection key appears in the kernel's output"
    status = "ok" if problem is None else "FAILED " + problem
    print(f"start {n:3d}/{runs}: {status} ({time.time() - t0:.1f} s{'; race repaired: ' + ', '.join(f'{t} at {ms} ms' for t, ms in repaired) if hits else ''})",
          flush=True)
    if problem:
        failures.append(n)
        kept = f"/tmp/icmlora-kernel-check-failed-{n}.log"
        shutil.copy(log_path, kept)
        print(f"            kernel output kept in {kept}", flush=True)

mode = "kernel's own main (--raw)" if raw else "kit launcher"
print(f"\n{mode}: {runs} starts, {len(failures)} failed {failures if failures else ''}, "
      f"{race_hits} start-up race hits repaired, {leaks} key leaks; "
      f"ready in {min(ready_times, default=0):.1f}-{max(ready_times, default=0):.1f} s "
      f"(mean {sum(ready_times) / max(1, len(ready_times)):.1f} s); total {time.time() - started:.0f} s")
shutil.rmtree(work, ignore_errors=True)
sys.stdout.flush()
os._exit(1 if failures or (leaks and not raw) else 0)  # skips jupyter_client's noisy finalisers
PY

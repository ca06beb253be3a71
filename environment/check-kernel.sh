#!/usr/bin/env bash
# Starts the kit's Java kernel (JJava, kernelspec "icmlora") N times in a row (default 50) and reports how many
# starts failed.
#
#   bash environment/check-kernel.sh [N]
#
# A start counts as good when the kernel answers kernel_info within 60 s and evaluates, in one cell,
# 6 * 7 + " " + KitEngine.class.getName() to "42 org.icmlora.engine.KitEngine" (the kit's jars are on JShell's class
# path and its start-up script ran: KitEngine is imported there), then shuts down; its output must not contain the
# HMAC key of its connection file. Failed starts keep their kernel output in /tmp.
# Exit status: 0 when every start succeeded and none leaked the key, 1 otherwise.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/environment/.installed/venv"
SPEC="$VENV/share/jupyter/kernels/icmlora/kernel.json"
[ -f "$SPEC" ] || { echo "no kernelspec at $SPEC: run environment/setup.sh first" >&2; exit 2; }

exec "$VENV/bin/python" - "$ROOT" "$SPEC" "$@" <<'PY'
import json, os, shutil, sys, tempfile, time
from jupyter_client import KernelManager

root, spec_path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = int(args[0]) if args else 50
limit = 60
expected = "42 org.icmlora.engine.KitEngine"
if json.load(open(spec_path)).get("metadata", {}).get("icmlora_checkout") != root:
    sys.exit(f"{spec_path} was written for another checkout: run environment/setup.sh")
os.environ["JUPYTER_PATH"] = os.path.dirname(os.path.dirname(os.path.dirname(spec_path)))

work = tempfile.mkdtemp(prefix="icmlora-kernel-check-")
failures, leaks, ready_times = [], 0, []
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
            reply = kc.execute_interactive('6 * 7 + " " + KitEngine.class.getName()', timeout=limit,
                                           output_hook=hook)
            if reply["content"]["status"] != "ok" or not any(expected in str(r) for r in results):
                problem = f"the probe gave {results} ({reply['content']['status']})"
        except Exception as e:  # a start that hangs or breaks
            problem = f"{type(e).__name__}: {e}"
        finally:
            key = km.session.key.decode()
            kc.stop_channels()
            km.shutdown_kernel(now=problem is not None)
    text = open(log_path).read()
    if key and key in text:
        leaks += 1
        problem = (problem + "; " if problem else "") + "connection key appears in the kernel's output"
    print(f"start {n:3d}/{runs}: {'ok' if problem is None else 'FAILED ' + problem} ({time.time() - t0:.1f} s)",
          flush=True)
    if problem:
        failures.append(n)
        kept = f"/tmp/icmlora-kernel-check-failed-{n}.log"
        shutil.copy(log_path, kept)
        print(f"            kernel output kept in {kept}", flush=True)

load = os.getloadavg()
print(f"\nJJava kernel: {runs} starts, {len(failures)} failed {failures if failures else ''}, {leaks} key leaks; "
      f"ready in {min(ready_times, default=0):.1f}-{max(ready_times, default=0):.1f} s "
      f"(mean {sum(ready_times) / max(1, len(ready_times)):.1f} s); total {time.time() - started:.0f} s; "
      f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min, {os.cpu_count()} CPUs)")
shutil.rmtree(work, ignore_errors=True)
sys.stdout.flush()
os._exit(1 if failures or leaks else 0)  # skips jupyter_client's noisy finalisers
PY

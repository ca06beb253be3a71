#!/usr/bin/env python3
"""Executes the kit's notebooks headlessly on its Java kernel and writes what they produced into reports/.

    python3 environment/run-notebooks.py [--out DIR] [--cell-timeout SECONDS] [--jobs N] [NOTEBOOK ...]

With no NOTEBOOK, every notebooks/*.ipynb runs, in name order, N at a time (default: the cores divided by
ICMLORA_THREADS, as the kit's workers; each in its own kernel, so a notebook's results do not depend on N: the
notebooks read the artifact cache, which lets one notebook compute a stage while another waits). For each notebook, DIR (default reports/) receives
the executed notebook (NAME.ipynb), its HTML export (NAME.html) and the kernel's own output (logs/NAME.kernel.log);
DIR/index.html links them all with status and duration, the run profile, seed, device, versions and total time,
and takes in DIR/summary.html when an earlier step (the experiments' command line) has written one.

A cell that raises, fails to compile, runs past the time limit or kills the kernel fails its notebook; the runner
goes on with the other notebooks, then exits with status 1 and names each failed notebook, cell and error.
ICMLORA_PROFILE (smoke, quick, full) and the other environment variables pass through to the kernel. Runs in the
project venv (environment/.installed/venv, started from it if another Python calls this script) on the kernelspec
that environment/setup.sh wrote there for this checkout.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "environment", ".installed", "venv")
if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
    venv_python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(venv_python):
        sys.exit(f"no project venv at {VENV}: run environment/setup.sh first")
    os.execv(venv_python, [venv_python, os.path.abspath(__file__)] + sys.argv[1:])

import argparse
import concurrent.futures
import datetime
import html
import importlib.metadata
import json
import platform
import re
import subprocess
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbconvert import HTMLExporter

KERNEL_NAME = "icmlora"
KERNEL_SPEC = os.path.join(VENV, "share", "jupyter", "kernels", KERNEL_NAME, "kernel.json")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--out", default=os.path.join(ROOT, "reports"), help="output folder (default: reports/)")
    parser.add_argument("--cell-timeout", type=int, default=int(os.environ.get("ICMLORA_CELL_TIMEOUT", "1800")),
                        help="seconds one cell may run (default: ICMLORA_CELL_TIMEOUT or 1800)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="notebooks run at once (default: the cores divided by ICMLORA_THREADS, at least 1)")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    return args


def default_jobs():
    threads = os.environ.get("ICMLORA_THREADS", "1")
    if not threads.isdigit() or int(threads) < 1:
        sys.exit(f"ICMLORA_THREADS must be a whole number >= 1, got {threads!r}")
    return max(1, (os.cpu_count() or 1) // int(threads))


def write_atomically(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def first_line(source):
    line = source.strip().splitlines()[0] if source.strip() else ""
    return line if len(line) <= 80 else line[:77] + "..."


def cell_error(cell):
    """The ename and evalue of the error output a failed cell holds, ANSI colours removed."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return ANSI.sub("", f"{output.get('ename', '')}: {output.get('evalue', '')}").strip()
    return None


def run_notebook(path, out_dir, cell_timeout, env):
    """Executes one notebook in a new kernel; returns a result dict and writes the executed copy, its HTML and the
    kernel log. The kernel is asked for its DJL device line after the notebook's last cell."""
    name = os.path.splitext(os.path.basename(path))[0]
    rel = os.path.relpath(path, ROOT)
    log_path = os.path.join(out_dir, "logs", name + ".kernel.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    started = time.time()
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Java 17 (icmlora kit)", "language": "java"}
    client = NotebookClient(nb, timeout=cell_timeout, startup_timeout=120, kernel_name=KERNEL_NAME,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    result = {"name": name, "path": rel, "status": "passed", "error": None, "device": None}
    with open(log_path, "w") as log:
        try:
            with client.setup_kernel(env=env, stdout=log, stderr=log):
                for index, cell in enumerate(nb.cells):
                    try:
                        client.execute_cell(cell, index)
                    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
                        what = cell_error(cell) or ANSI.sub("", str(e)).strip().splitlines()[-1]
                        if isinstance(e, CellTimeoutError):
                            what = f"ran past the {cell_timeout} s cell time limit"
                        elif isinstance(e, DeadKernelError):
                            what = "the kernel died: " + what
                        result["status"] = "FAILED"
                        result["error"] = (f"{rel}: cell {index + 1} of {len(nb.cells)} "
                                           f"('{first_line(cell.source)}') failed: {what}")
                        break
                if result["status"] == "passed":
                    result["device"] = kernel_device(client)
        except Exception as e:  # the kernel did not start, or the run broke outside a cell
            result["status"] = "FAILED"
            result["error"] = f"{rel}: {type(e).__name__}: {ANSI.sub('', str(e)).strip()}"
    result["seconds"] = time.time() - started
    write_atomically(os.path.join(out_dir, name + ".ipynb"), nbformat.writes(nb))
    body, _ = HTMLExporter().from_notebook_node(nb)
    write_atomically(os.path.join(out_dir, name + ".html"), body)
    return result


def outcome(future, path):
    """The result of a finished run_notebook, or a failed one when the process that ran it died (killed, out of
    memory) before it could say."""
    try:
        return future.result()
    except Exception as e:
        rel = os.path.relpath(path, ROOT)
        return {"name": os.path.splitext(os.path.basename(path))[0], "path": rel, "status": "FAILED", "device": None,
                "seconds": 0.0, "error": f"{rel}: the runner's process for it died ({type(e).__name__}: {e}); see "
                                         "its kernel log"}


def kernel_device(client):
    """KitEngine.describe() asked in the notebook's own kernel after its cells, outside the notebook's outputs."""
    texts = []
    try:
        run_sync(client.kc.execute_interactive)(
            "org.icmlora.engine.KitEngine.describe()", timeout=120, store_history=False,
            output_hook=lambda m: texts.extend(m["content"].get("data", {}).values()))
    except Exception as e:
        return f"unknown ({type(e).__name__})"
    text = ANSI.sub("", str(texts[0] if texts else "unknown")).strip()
    return text.strip('"') if text else "unknown"


def command_version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except Exception:
        return "not found"


def versions():
    plotly_dir = os.path.join(ROOT, "environment", ".installed", "plotly")
    plotly = [f for f in os.listdir(plotly_dir) if f.endswith(".js")] if os.path.isdir(plotly_dir) else []
    version = importlib.metadata.version
    return [("Java", command_version(["java", "-version"])),
            ("Java kernel", f"JJava {version('jjava')}"),
            ("plotly.js", ", ".join(sorted(plotly)) or "not installed"),
            ("nbclient / nbconvert", f"{version('nbclient')} / {version('nbconvert')}"),
            ("Python", platform.python_version()),
            ("OS", platform.platform())]


def write_index(out_dir, results, total_seconds, profile):
    rows = []
    for r in results:
        link = html.escape(r["name"])
        status = "passed" if r["status"] == "passed" else "FAILED"
        rows.append(f"<tr class=\"{status.lower()}\"><td><a href=\"{link}.html\">{link}</a> "
                    f"(<a href=\"{link}.ipynb\">ipynb</a>, <a href=\"logs/{link}.kernel.log\">kernel log</a>)</td>"
                    f"<td>{status}</td><td style=\"text-align:right\">{r['seconds']:.1f} s</td>"
                    f"<td>{html.escape(r['error'] or '')}</td></tr>")
    devices = sorted({r["device"] for r in results if r["device"]})
    summary_path = os.path.join(out_dir, "summary.html")
    summary = ""
    if os.path.isfile(summary_path):  # written by the experiments' command line before the notebooks run
        with open(summary_path, encoding="utf-8") as f:
            summary = "<h2>Summary</h2>\n" + f.read()
    seed = os.environ.get("ICMLORA_SEED")
    facts = [("Profile", profile),
             ("Seed", seed if seed else "2024 (the default; ICMLORA_SEED not set)"),
             ("Device", "; ".join(devices) if devices else "not known (no notebook finished)"),
             ("Threads (ICMLORA_THREADS)", os.environ.get("ICMLORA_THREADS", "1 (the default)")),
             ("Started", datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()),
             ("Total time", f"{total_seconds:.0f} s")] + versions()
    fact_rows = "\n".join(f"<tr><th style=\"text-align:left\">{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                          for k, v in facts)
    passed = sum(r["status"] == "passed" for r in results)
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>icmlora notebook run</title>
<style>body{{font-family:sans-serif;margin:2em}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px}} tr.failed td{{background:#fdd}}</style></head>
<body><h1>icmlora notebook run</h1>
<p>{passed} of {len(results)} notebooks passed.</p>
<h2>Notebooks</h2>
<table><tr><th>Notebook</th><th>Status</th><th>Duration</th><th>Error</th></tr>
{chr(10).join(rows)}
</table>
{summary}
<h2>Run</h2>
<table>
{fact_rows}
</table>
</body></html>
"""
    write_atomically(os.path.join(out_dir, "index.html"), page)


def check_kernel_spec():
    """Stops with what to do when the kernelspec is missing, was written for another checkout (a copied or moved
    kit), or names a start-up script that is gone (JJava would skip it silently and every notebook would fail)."""
    if not os.path.isfile(KERNEL_SPEC):
        sys.exit(f"no kernelspec at {KERNEL_SPEC}: run environment/setup.sh first")
    with open(KERNEL_SPEC) as f:
        spec = json.load(f)
    checkout = spec.get("metadata", {}).get("icmlora_checkout")
    if checkout != ROOT:
        sys.exit(f"the kernelspec at {KERNEL_SPEC} was written for the checkout {checkout}, not this one ({ROOT}): "
                 "run environment/setup.sh")
    script = spec.get("env", {}).get("JJAVA_STARTUP_SCRIPTS_PATH", "")
    if not os.path.isfile(script):
        sys.exit(f"the kernel's start-up script {script!r} is missing: run environment/setup.sh")


def main():
    args = parse_args()
    check_kernel_spec()
    # The venv's kernelspec first, ahead of any other "icmlora" a JUPYTER_PATH of the caller may hold.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in [os.path.join(VENV, "share", "jupyter"), os.environ.get("JUPYTER_PATH")] if p)
    notebooks = args.notebooks or sorted(
        os.path.join(ROOT, "notebooks", f) for f in os.listdir(os.path.join(ROOT, "notebooks"))
        if f.endswith(".ipynb"))
    if not notebooks:
        sys.exit("no notebooks to run")
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    profile = os.environ.get("ICMLORA_PROFILE", "quick")
    env = dict(os.environ)
    env["ICMLORA_PROFILE"] = profile

    started = time.time()
    jobs = min(args.jobs, len(notebooks))
    print(f"[notebooks] {len(notebooks)} notebooks at profile {profile}, {jobs} at a time", flush=True)
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        running = {}
        for path in notebooks:
            running[pool.submit(run_notebook, path, out_dir, args.cell_timeout, env)] = path
        outcomes = {}
        for done in concurrent.futures.as_completed(running):
            result = outcomes[running[done]] = outcome(done, running[done])
            print(f"[notebooks] {result['path']}: {result['status']} in {result['seconds']:.1f} s"
                  + (f": {result['error']}" if result["error"] else ""), flush=True)
    results = [outcomes[path] for path in notebooks]  # in the notebooks' order
    total = time.time() - started
    write_index(out_dir, results, total, profile)
    failed = [r for r in results if r["status"] != "passed"]
    print(f"[notebooks] {len(results) - len(failed)} of {len(results)} passed in {total:.0f} s; "
          f"report: {os.path.join(out_dir, 'index.html')}", flush=True)
    for r in failed:
        print(f"[notebooks] FAILED {r['error']}", file=sys.stderr, flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark cwamr's iwasm against wasmi and wasm3 (see bench/README.md).

Each measurement is the wall-clock time of one whole process (startup,
module load/compile and the call). Runs are interleaved: for each workload
and repetition every runtime runs once in turn. Each runtime's printed
result is checked against the expected checksum.

Startup is measured separately by calling run(0) (same module, no work) in
the same interleaved way; "net" = median(full) - median(run(0)). Ratios and
their geometric mean use net times, so python's startup in the wasm3 runner
(and process/module-load cost in every runtime) does not count.
"""
import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)

# name: (default n, result type, expected checksum as a signed integer)
WORKLOADS = {
    "fib": (37, "i32", 24157817),
    "sieve": (35, "i64", -5174629906204118329),
    "matmul": (400, "i64", -3679481594),
    "sha256": (500, "i64", -989509807307755201),
    "quicksort": (2000000, "i32", 579042485),
    "nbody": (1000000, "i64", 14704147997645),
}
ALL_RUNTIMES = ["cwamr", "wasmi", "wasm3"]


def find_wasmi():
    for name in ("wasmi", "wasmi_cli"):  # wasmi_cli 2.x installs `wasmi`
        path = shutil.which(name) or os.path.expanduser(f"~/.cargo/bin/{name}")
        if os.access(path, os.X_OK):
            return path
    return None


def runtime_commands(iwasm):
    """Map runtime name -> (function(wasm, n) -> argv, or None, note)."""
    cmds = {}
    if os.access(iwasm, os.X_OK):
        cmds["cwamr"] = (lambda w, n: [iwasm, "-f", "run", w, str(n)], iwasm)
    else:
        cmds["cwamr"] = (None, f"{iwasm} not found (build it first)")
    wasmi = find_wasmi()
    if wasmi:
        cmds["wasmi"] = (lambda w, n: [wasmi, "--invoke", "run", w, str(n)], wasmi)
    else:
        cmds["wasmi"] = (None, "wasmi not found: cargo install wasmi_cli --locked")
    probe = subprocess.run([sys.executable, "-c", "import wasm3"],
                           capture_output=True)
    if probe.returncode == 0:
        runner = os.path.join(BENCH, "wasm3_run.py")
        cmds["wasm3"] = (lambda w, n: [sys.executable, runner, w, str(n)],
                         f"pywasm3 via {sys.executable}")
    else:
        cmds["wasm3"] = (None, "pywasm3 not importable: pip install pywasm3")
    return cmds


def parse_result(runtime, out):
    """Return the integer printed by a runtime (None if unparsable)."""
    if runtime == "cwamr":  # WAMR format: 0x1705951:i32 / 0x...:i64
        m = re.search(r"0x([0-9a-fA-F]+):i(32|64)", out)
        return int(m.group(1), 16) if m else None
    lines = [l for l in out.strip().splitlines() if l.strip()]
    try:
        return int(lines[-1].strip())
    except (IndexError, ValueError):
        return None


def same_value(got, expected, ty):
    mask = (1 << (32 if ty == "i32" else 64)) - 1
    return got is not None and (got & mask) == (expected & mask)


def time_once(argv):
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    return time.perf_counter() - t0, proc


def fmt(x, width=9, prec=3):
    return f"{x:>{width}.{prec}f}" if x is not None else f"{'-':>{width}}"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5, help="repetitions (default 5)")
    ap.add_argument("--only", help="comma-separated workloads (default: all)")
    ap.add_argument("--runtimes", default=",".join(ALL_RUNTIMES),
                    help="comma-separated subset of cwamr,wasmi,wasm3")
    ap.add_argument("--n", action="append", default=[], metavar="NAME=N",
                    help="override a workload's n (checksum then not checked)")
    ap.add_argument("--iwasm", default=os.path.join(ROOT, "target/release/iwasm"),
                    help="path of cwamr's iwasm (default target/release/iwasm)")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    names = args.only.split(",") if args.only else list(WORKLOADS)
    wanted = args.runtimes.split(",")
    for bad in [n for n in names if n not in WORKLOADS] + \
               [r for r in wanted if r not in ALL_RUNTIMES]:
        ap.error(f"unknown workload or runtime: {bad}")
    overrides = dict(kv.split("=", 1) for kv in args.n)

    cmds = runtime_commands(args.iwasm)
    runtimes = []
    for rt in wanted:
        make, note = cmds[rt]
        print(f"# {rt:6s}: {'SKIPPED, ' if make is None else ''}{note}")
        if make is not None:
            runtimes.append(rt)
    if not runtimes:
        print("no runtime available", file=sys.stderr)
        return 1
    print(f"# reps={args.reps}, wall-clock per whole process, interleaved", flush=True)

    full = {(w, rt): [] for w in names for rt in runtimes}
    base = {(w, rt): [] for w in names for rt in runtimes}
    incall = {w: [] for w in names}  # wasm3 runner's own timing of the call
    failures = []
    for w in names:
        default_n, ty, expected = WORKLOADS[w]
        n = int(overrides.get(w, default_n))
        check = w not in overrides
        wasm = os.path.join(BENCH, "wasm", f"{w}.wasm")
        for rep in range(args.reps):
            for rt in runtimes:
                dt, proc = time_once(cmds[rt][0](wasm, n))
                got = parse_result(rt, proc.stdout)
                ok = proc.returncode == 0 and got is not None and got != -1 and (
                    not check or same_value(got, expected, ty))
                if not ok:
                    failures.append(f"{w}/{rt}: rc={proc.returncode} out="
                                    f"{proc.stdout.strip()!r} err={proc.stderr.strip()[:200]!r}")
                full[(w, rt)].append(dt)
                m = re.search(r"call_seconds=([0-9.]+)", proc.stderr)
                if rt == "wasm3" and m:
                    incall[w].append(float(m.group(1)))
            for rt in runtimes:
                dt, proc = time_once(cmds[rt][0](wasm, 0))
                if proc.returncode != 0:
                    failures.append(f"{w}/{rt} run(0): rc={proc.returncode}")
                base[(w, rt)].append(dt)
        print(f"# {w}(n={n}) done", file=sys.stderr, flush=True)

    med = {k: statistics.median(v) for k, v in full.items()}
    bmed = {k: statistics.median(v) for k, v in base.items()}
    net = {k: max(med[k] - bmed[k], 1e-6) for k in med}
    others = [rt for rt in runtimes if rt != "cwamr"] if "cwamr" in runtimes else []

    print("\nMedian seconds: full process (startup = run(0) process) -> net")
    head = f"{'workload':10s}" + "".join(f"{rt + ' full':>12s}{'startup':>9s}{'net':>9s}"
                                         for rt in runtimes)
    head += "".join(f"{'cwamr/' + o:>13s}" for o in others)
    print(head)
    ratios = {o: [] for o in others}
    for w in names:
        row = f"{w:10s}"
        for rt in runtimes:
            row += fmt(med[(w, rt)], 12) + fmt(bmed[(w, rt)]) + fmt(net[(w, rt)])
        for o in others:
            r = net[(w, "cwamr")] / net[(w, o)]
            ratios[o].append(r)
            row += fmt(r, 13, 2)
        print(row)
    if others:
        row = f"{'geomean':10s}" + " " * (30 * len(runtimes))
        for o in others:
            row += fmt(math.exp(sum(map(math.log, ratios[o])) / len(ratios[o])), 13, 2)
        print(row)
        print("(ratios use net time; < 1 means cwamr is faster)")
    if "wasm3" in runtimes:
        print("\nwasm3 time inside the call (measured by wasm3_run.py; "
              "cf. net above):")
        print("  " + ", ".join(f"{w} {statistics.median(incall[w]):.3f}"
                               for w in names if incall[w]))
    if failures:
        print("\nFAILURES (wrong checksum or error):")
        for f in failures:
            print("  " + f)
        return 1
    print("\nall results matched the expected checksums" if any(
        w not in overrides for w in names) else "\nall runs succeeded")
    return 0


if __name__ == "__main__":
    sys.exit(main())

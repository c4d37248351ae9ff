#!/usr/bin/env python3
"""The record-level aggregation on a local Apache Ballista cluster (issue 19): one scheduler and two
executors (`kpi-cluster`, which links kpi's UDFs), the same plans as `--engine datafusion` in one
process, and the results compared.

Usage (one command):
    python3 bench/cluster.py [DATA] [--profile debug|release] [--year 2021] [--no-build]
                             [--concurrent-tasks 1] [--skip-cli]

DATA defaults to the bundled sample demo/data. It must be readable at the same path by every
executor (here: the local filesystem; on a real cluster a shared filesystem, docs/scale.md).

Steps:
1. Builds `kpi` (feature `ballista`), `kpi-cluster` and the example `compare_engines` in the given
   profile unless --no-build (`cargo build -p kpi-cli -p kpi-datafusion --features
   kpi-cli/ballista --bins --examples`).
2. Starts `kpi-cluster scheduler` and two `kpi-cluster executor`s on free local ports, each
   executor with its own work folder, and waits until they listen.
3. `compare_engines DATA --cluster df://...`: loads DATA with the single-process DataFusion engine
   and on the cluster and compares every metric-store value and every indicator cell (to 1e-9).
4. Unless --skip-cli: `kpi indicators DATA --year Y --format csv --engine datafusion`, once in one
   process and once with `--cluster df://...`, compared line by line (numbers to 1e-9).
5. Stops the three processes (by their own process ids) and prints the wall times.
Exits 1 on any difference or failure.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, proc, what, timeout=120):
    started = time.time()
    while time.time() - started < timeout:
        if proc.poll() is not None:
            sys.exit(f"{what} stopped (exit {proc.returncode}); see its log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{what} did not listen on port {port} within {timeout} s")


def same_csv(a, b, tolerance=1e-9):
    """Differences between two CSV outputs, cell by cell; numbers to `tolerance` (relative above 1)."""
    la, lb = a.splitlines(), b.splitlines()
    diffs = []
    if len(la) != len(lb):
        diffs.append(f"{len(la)} lines against {len(lb)}")
    for n, (x, y) in enumerate(zip(la, lb), 1):
        if x == y:
            continue
        cx, cy = x.split(","), y.split(",")
        if len(cx) != len(cy):
            diffs.append(f"line {n}: {x!r} against {y!r}")
            continue
        for u, v in zip(cx, cy):
            if u == v:
                continue
            try:
                fu, fv = float(u), float(v)
            except ValueError:
                diffs.append(f"line {n}: {u!r} against {v!r}")
                continue
            if abs(fu - fv) > tolerance * max(1.0, abs(fu), abs(fv)):
                diffs.append(f"line {n}: {u} against {v}")
    return diffs


def timed(cmd, **kw):
    started = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return out, time.time() - started


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", default=os.path.join(ROOT, "demo", "data"))
    ap.add_argument("--profile", choices=["debug", "release"], default="debug")
    ap.add_argument("--year", default="2021", help="the year of `kpi indicators` (step 4)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--concurrent-tasks", type=int, default=1, help="tasks at a time per executor")
    ap.add_argument("--skip-cli", action="store_true", help="only the full comparison of step 3")
    args = ap.parse_args()
    data = os.path.abspath(args.data)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    bin_dir = os.path.join(target, args.profile)
    if not args.no_build:
        cmd = ["cargo", "build", "-p", "kpi-cli", "-p", "kpi-datafusion", "--features",
               "kpi-cli/ballista", "--bins", "--examples"]
        if args.profile == "release":
            cmd.append("--release")
        print("$", " ".join(cmd), flush=True)
        started = time.time()
        subprocess.run(cmd, cwd=ROOT, check=True)
        print(f"build: {time.time() - started:.0f} s", flush=True)
    kpi = os.path.join(bin_dir, "kpi")
    cluster_bin = os.path.join(bin_dir, "kpi-cluster")
    compare = os.path.join(bin_dir, "examples", "compare_engines")
    for b in (cluster_bin, compare) + (() if args.skip_cli else (kpi,)):
        if not os.path.exists(b):
            sys.exit(f"{b} is missing: run without --no-build")

    work = tempfile.mkdtemp(prefix="kpi-cluster-")
    procs = []
    failed = False
    try:
        sport = free_port()
        log = open(os.path.join(work, "scheduler.log"), "w")
        started = time.time()
        sched = subprocess.Popen([cluster_bin, "scheduler", "--bind", f"127.0.0.1:{sport}"],
                                 stdout=log, stderr=subprocess.STDOUT)
        procs.append(("scheduler", sched, log.name))
        wait_for(sport, sched, "the scheduler")
        for i in range(2):
            port, grpc = free_port(), free_port()
            wd = os.path.join(work, f"executor{i}")
            os.makedirs(wd)
            log = open(os.path.join(work, f"executor{i}.log"), "w")
            p = subprocess.Popen([cluster_bin, "executor", "--scheduler", f"localhost:{sport}",
                                  "--port", str(port), "--grpc-port", str(grpc), "--work-dir", wd,
                                  "--concurrent-tasks", str(args.concurrent_tasks)],
                                 stdout=log, stderr=subprocess.STDOUT)
            procs.append((f"executor {i}", p, log.name))
            wait_for(grpc, p, f"executor {i}")
        time.sleep(2)  # the executors register with the scheduler once they listen
        url = f"df://localhost:{sport}"
        print(f"cluster up in {time.time() - started:.1f} s: scheduler {url}, 2 executors "
              f"({args.concurrent_tasks} task(s) at a time each); data {data}", flush=True)

        out, wall = timed([compare, data, "--cluster", url])
        print(out.stdout.strip(), flush=True)
        if out.returncode != 0:
            print(out.stderr.strip()[-4000:])
            failed = True
        print(f"compare_engines (single process, then cluster, in one run): {wall:.1f} s wall", flush=True)

        if not args.skip_cli:
            base = [kpi, "indicators", data, "--year", args.year, "--format", "csv", "--engine", "datafusion"]
            single, t1 = timed(base)
            remote, t2 = timed(base + ["--cluster", url])
            for name, o in (("single process", single), ("cluster", remote)):
                if o.returncode != 0:
                    print(f"kpi indicators ({name}) failed: {o.stderr.strip()[-4000:]}")
                    failed = True
            if not failed:
                diffs = same_csv(single.stdout, remote.stdout)
                rows = max(0, len(single.stdout.splitlines()) - 1)
                print(f"kpi indicators --year {args.year}: {rows} rows, {len(diffs)} differences "
                      f"(tolerance 1e-9); wall: one process {t1:.1f} s, cluster {t2:.1f} s", flush=True)
                for d in diffs[:20]:
                    print("  " + d)
                failed = failed or bool(diffs) or rows == 0
    finally:
        for name, p, log in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if failed:
            print(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("cluster result EQUALS single process" if not failed else "cluster result DIFFERS or failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

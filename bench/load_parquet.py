#!/usr/bin/env python3
"""Load benchmark, CSV against Parquet (and Arrow IPC): `kpi inspect` on the same dataset in each format.

Usage:
    python3 bench/load_parquet.py [--csv /tmp/kz] [--parquet /tmp/kz-parquet] [--arrow DIR]
                                  [--kpi target/release/kpi] [--runs 3] [--scale national]

Folders that do not exist are written first with `kpi sample --scale SCALE [--format parquet|arrow]`
(same seed, so the same dataset). Each run is a fresh child process (`bench/load.py`'s measure), so
peak memory is that run's alone. Printed per format: size on disk (MB), wall time (best of --runs),
CPU time, throughput (MB/s of its own bytes and of the equivalent CSV bytes), peak resident memory
(MB, ru_maxrss of the child), and the ratio of the CSV time to each format's time.
Target (issue 19): Parquet loads at least 3x faster than the same data as CSV (in-memory path).
The rows read per table must agree between the formats, or the script stops.
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import measure  # noqa: E402

EXTS = {"csv": (".csv",), "parquet": (".parquet",), "arrow": (".arrow",)}


def ensure(kpi, folder, fmt, scale):
    if os.path.isdir(folder) and any(f.endswith(EXTS[fmt]) for f in os.listdir(folder)):
        return
    print(f"writing the {scale} sample as {fmt} into {folder} …", flush=True)
    subprocess.run([kpi, "sample", "--scale", scale, "--format", fmt, "--out", folder],
                   check=True, stdout=subprocess.DEVNULL)


def table_rows(kpi, folder):
    """Rows per table as `kpi inspect` reports them (the Tables block)."""
    out = subprocess.run([kpi, "inspect", folder], capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        m = re.match(r"\s+(\w+)\s+(\d+) rows\s+(\w+)", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(3))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", default="/tmp/kz", help="the dataset as CSV (written if missing)")
    ap.add_argument("--parquet", default="/tmp/kz-parquet", help="the dataset as Parquet (written if missing)")
    ap.add_argument("--arrow", default=None, help="also the dataset as Arrow IPC (written if missing)")
    ap.add_argument("--scale", default="national", help="sample scale for folders written here")
    ap.add_argument("--kpi", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "kpi"),
                    help="the kpi binary (default: target/release/kpi; build it with cargo build --release)")
    ap.add_argument("--runs", type=int, default=3, help="runs per format; the best wall time is kept")
    args = ap.parse_args()

    kpi = os.path.abspath(args.kpi)
    if not os.path.exists(kpi):
        sys.exit(f"{kpi} not found: cargo build --release -p kpi-cli")
    formats = [("csv", args.csv), ("parquet", args.parquet)]
    if args.arrow:
        formats.append(("arrow", args.arrow))
    for fmt, folder in formats:
        ensure(kpi, folder, fmt, args.scale)

    rows = {fmt: table_rows(kpi, folder) for fmt, folder in formats}
    for fmt, _ in formats[1:]:
        if rows[fmt] != rows["csv"]:
            sys.exit(f"the {fmt} dataset does not read as the CSV one:\n  csv: {rows['csv']}\n  {fmt}: {rows[fmt]}")
    print("rows per table (the same in every format): "
          + ", ".join(f"{k} {v[0]}" for k, v in sorted(rows["csv"].items())))

    sizes = {fmt: sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(folder)
                      for n in names if n.endswith(EXTS[fmt]))
             for fmt, folder in formats}
    results = {}
    for fmt, folder in formats:
        results[fmt] = measure([kpi, "inspect", folder], args.runs)
    csv_mb = sizes["csv"] / 1e6
    for fmt, _ in formats:
        m, mb = results[fmt], sizes[fmt] / 1e6
        print(f"{fmt:<8} {mb:8.1f} MB  wall {m['wall']:7.3f} s  CPU {m['cpu']:7.3f} s  "
              f"{mb / m['wall']:7.1f} MB/s ({csv_mb / m['wall']:7.1f} MB/s of CSV-equivalent)  "
              f"peak RSS {m['rss'] / 1e6:7.1f} MB")
    for fmt, _ in formats[1:]:
        ratio = results["csv"]["wall"] / results[fmt]["wall"]
        cpu = results["csv"]["cpu"] / results[fmt]["cpu"]
        line = f"CSV/{fmt}: wall time {ratio:.2f}x, CPU time {cpu:.2f}x, peak memory " \
               f"{results[fmt]['rss'] / results['csv']['rss']:.2f}x of CSV's"
        if fmt == "parquet":
            line += f"; target >= 3x faster: {'met' if ratio >= 3 else 'NOT met'}"
        print(line)


if __name__ == "__main__":
    main()

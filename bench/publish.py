#!/usr/bin/env python3
"""Publishing benchmark: `kpi publish` of a dataset, and what a portal page downloads.

Usage:
    python3 bench/publish.py DATASET_DIR [--kpi target/release/kpi] [--out DIR] [--runs 1]

DATASET_DIR is a folder in the docs/data.md formats, e.g. the national sample:
    kpi sample --scale national --out /tmp/national
    python3 bench/publish.py /tmp/national

Reported:
  * `kpi publish`: wall and CPU time (best of --runs), peak resident memory, the number
    of files and their bytes, by folder; the target is 10 s on 2 cores;
  * a portal page: for the first organisation of each level, the files a page with a
    `kpi-card`, a `trend` and a `compare` (peers="region") of one indicator reads, as the
    widgets' reader fetches them (docs/publishing.md), with their bytes raw and gzip
    (level 6, as web servers compress); the target is 150 KB gzip for the three widgets;
    and the same with `compare` over the whole level (peers="level").
"""

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import time


def run_publish(kpi, data, out):
    if os.path.exists(out):
        shutil.rmtree(out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([kpi, "publish", data, "--out", out], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def sizes(out):
    by_folder = {}
    files = 0
    total = 0
    for root, _, names in os.walk(out):
        for n in names:
            size = os.path.getsize(os.path.join(root, n))
            top = os.path.relpath(root, out).split(os.sep)[0]
            by_folder[top] = by_folder.get(top, 0) + size
            files += 1
            total += size
    return files, total, by_folder


def page_files(out, manifest, org_path, scope):
    """The files a card, a trend and a compare of the page's first indicator read."""
    page = json.load(open(os.path.join(out, org_path)))
    level = page["org"]["level"]
    indicator = next(iter(page["units"][0]["indicators"]))
    files = ["manifest.json", "catalogue.json", org_path, f"indicators/{level}/{indicator}.json"]
    slugs = [page["org"]["region_slug"]] if scope == "region" else next(
        l["regions"] for l in manifest["levels"] if l["level"] == level
    )
    year = manifest["years"][-1]
    for slug in slugs:
        files.append(f"indicators/{level}/{slug}/{year}/{indicator}.json")
        files.append(f"organisations/{level}/{slug}.json")
    return level, indicator, [f for f in files if os.path.exists(os.path.join(out, f))]


def weigh(out, files):
    raw = 0
    gz = 0
    for f in files:
        data = open(os.path.join(out, f), "rb").read()
        raw += len(data)
        gz += len(gzip.compress(data, compresslevel=6))
    return raw, gz


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("--kpi", default="target/release/kpi")
    ap.add_argument("--out", default="/tmp/kpi-publish-bench")
    ap.add_argument("--runs", type=int, default=1)
    a = ap.parse_args()
    best = None
    for _ in range(a.runs):
        r = run_publish(a.kpi, a.data, a.out)
        best = r if best is None or r[0] < best[0] else best
    wall, cpu, rss = best
    files, total, by_folder = sizes(a.out)
    print(f"kpi publish {a.data}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {rss:.0f} MB (target: 10 s wall on 2 cores)")
    print(f"  {files} files, {total / 1e6:.1f} MB: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(by_folder.items(), key=lambda kv: -kv[1])))
    manifest = json.load(open(os.path.join(a.out, "manifest.json")))
    orgs = sorted(n for n in os.listdir(os.path.join(a.out, "orgs")) if n.endswith(".json"))
    seen = set()
    for name in orgs:
        path = f"orgs/{name}"
        level = json.load(open(os.path.join(a.out, path)))["org"]["level"]
        if level in seen:
            continue
        seen.add(level)
        for scope in ["region", "level"]:
            lv, ind, fs = page_files(a.out, manifest, path, scope)
            raw, gz = weigh(a.out, fs)
            verdict = "" if scope == "level" else (" (target 150 KB: " + ("met" if gz <= 150_000 else "NOT met") + ")")
            print(f"  page of {name[:-5]} ({lv}), card + trend + compare of {ind}, peers={scope}: {len(fs)} files, {raw / 1e3:.0f} KB raw, {gz / 1e3:.1f} KB gzip{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

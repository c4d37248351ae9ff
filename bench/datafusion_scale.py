#!/usr/bin/env python3
"""Scale benchmark: the record-level aggregation of 10x the national sample on `--engine datafusion
--memory-limit 2GiB`, against DuckDB running the equivalent SQL on the same files.

Usage (one command; builds target/release/kpi with the datafusion feature if it is missing):
    python3 bench/datafusion_scale.py [--copies 10] [--data /tmp/kz10] [--memory-limit 2GiB]
                                      [--runs 1] [--keep] [--parquet]

Steps:
1. `kpi sample --scale national --copies N --out DATA` (the record tables, students, grades and
   surveys, written N times over with distinct ids: about 1.9 GB of CSV for N = 10); skipped when
   DATA already holds it. With --parquet the record tables are also converted to Parquet (by DuckDB,
   typed) into DATA-parquet and measured too.
2. `kpi inspect DATA --engine datafusion --memory-limit 2GiB`: the whole load (the aggregation on
   DataFusion, the organisations and observations in memory, the metric store), in a fresh child
   process: wall time, CPU time, peak resident memory (ru_maxrss).
3. DuckDB (python `duckdb`, 2 threads, memory_limit 2GB) running the same aggregations in SQL
   (student metrics per organisation and programme with the GPA from grades where a student has
   none, transfer thresholds, survey tallies) on the same files: the same three numbers.
4. The generated data is deleted afterwards unless --keep (disk is limited). That both engines of
   kpi give the same values is checked elsewhere (kpi-datafusion/examples/compare_engines.rs).
Target (issue 19): peak memory under 3 GB for kpi under --memory-limit 2GiB.
"""

import argparse
import os
import shutil
import subprocess
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import measure  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# The equivalent of kpi-datafusion's plans (kpi-datafusion/src/plan.rs) in DuckDB's SQL: the
# sample writes canonical headers and values, so no alias mapping is needed here.
DUCKDB = textwrap.dedent(
    """
    import json, sys, time, duckdb
    data, fmt, limit = sys.argv[1], sys.argv[2], sys.argv[3]
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute(f"SET memory_limit = '{limit}'")
    con.execute("SET preserve_insertion_order = false")
    def src(name):
        if fmt == "parquet":
            return f"read_parquet('{data}/{name}.parquet')"
        return f"read_csv('{data}/{name}.csv', header = true, all_varchar = true)"
    on_roll = "status NOT IN ('graduated', 'expelled', 'transferred_out')"
    num = lambda c: f"TRY_CAST(REPLACE(CAST({c} AS VARCHAR), ',', '.') AS DOUBLE)"
    con.execute(f'''CREATE VIEW grade_gpa AS
        SELECT student_id, TRY_CAST(LEFT(CAST(year AS VARCHAR), 4) AS INTEGER) AS year,
               SUM({num('credits')} * CASE
                   WHEN letter IS NOT NULL AND letter <> '' THEN NULL
                   WHEN {num('score')} >= 95 THEN 4.0 WHEN {num('score')} >= 90 THEN 3.67
                   WHEN {num('score')} >= 85 THEN 3.33 WHEN {num('score')} >= 80 THEN 3.0
                   WHEN {num('score')} >= 75 THEN 2.67 WHEN {num('score')} >= 70 THEN 2.33
                   WHEN {num('score')} >= 65 THEN 2.0 WHEN {num('score')} >= 60 THEN 1.67
                   WHEN {num('score')} >= 55 THEN 1.33 WHEN {num('score')} >= 50 THEN 1.0
                   WHEN {num('score')} >= 25 THEN 0.5 ELSE 0.0 END) / SUM({num('credits')}) AS gpa
        FROM {src('grades')} GROUP BY ALL''')
    started = time.perf_counter()
    students = con.execute(f'''
        WITH s AS (
            SELECT student_id, CAST(org_id AS VARCHAR) AS org_id, CAST(programme AS VARCHAR) AS programme,
                   TRY_CAST(LEFT(CAST(year AS VARCHAR), 4) AS INTEGER) AS year,
                   TRY_CAST(course AS INTEGER) AS course, status,
                   CASE WHEN {num('gpa')} BETWEEN 0 AND 4 THEN {num('gpa')} END AS gpa,
                   CAST(employed AS VARCHAR) AS employed, CAST(further_study AS VARCHAR) AS further_study
            FROM {src('students')}),
        j AS (
            SELECT s.*, COALESCE(s.gpa, g.gpa) AS gpa2,
                   CASE WHEN programme LIKE '6B%' THEN [1.33, 1.67, 2.00][course]
                        WHEN programme LIKE '7M%' THEN [1.67][course] END AS threshold
            FROM s LEFT JOIN grade_gpa g USING (student_id, year))
        SELECT org_id, programme, year, GROUPING(programme) AS whole_org,
               SUM(CASE WHEN {on_roll} THEN 1 ELSE 0 END) AS enrolled,
               SUM(CASE WHEN status = 'graduated' THEN 1 ELSE 0 END) AS graduates,
               SUM(CASE WHEN status = 'expelled' THEN 1 ELSE 0 END) AS expelled,
               SUM(CASE WHEN status = 'repeating' THEN 1 ELSE 0 END) AS repeaters,
               SUM(CASE WHEN status = 'graduated' AND employed IN ('yes', '1', 'true') THEN 1 ELSE 0 END) AS employed,
               SUM(CASE WHEN status = 'graduated' AND further_study IN ('yes', '1', 'true') THEN 1 ELSE 0 END) AS further,
               AVG(CASE WHEN {on_roll} THEN gpa2 END) AS gpa_mean,
               SUM(CASE WHEN {on_roll} AND gpa2 < threshold THEN 1 ELSE 0 END) AS below
        FROM j GROUP BY GROUPING SETS ((org_id, year), (org_id, programme, year))''').fetchall()
    # The national sample's surveys have no programme column: tallies per organisation only.
    scols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src('surveys')}").fetchall()]
    prog = "programme" in scols
    sets = "(org_id, year, survey), (org_id, programme, year, survey)" if prog else "(org_id, year, survey)"
    surveys = con.execute(f'''
        SELECT CAST(org_id AS VARCHAR), {"CAST(programme AS VARCHAR)" if prog else "NULL"}, year, survey,
               COUNT(*) AS answers,
               SUM(CASE WHEN {num('score')} >= 4 THEN 1 ELSE 0 END), SUM({num('score')})
        FROM {src('surveys')} WHERE {num('score')} BETWEEN 1 AND 5
        GROUP BY GROUPING SETS ({sets})''').fetchall()
    enrolled = sum(r[4] for r in students if r[3] == 1)
    answers = sum(r[4] for r in surveys if r[1] is None)
    print(json.dumps({"groups": len(students) + len(surveys), "enrolled": enrolled, "answers": answers,
                      "inner": time.perf_counter() - started}), file=sys.stderr)
    """
)


def run(cmd, **kw):
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=10, help="copies of the national record tables")
    ap.add_argument("--data", default="/tmp/kz10", help="where the data is written (deleted after)")
    ap.add_argument("--memory-limit", default="2GiB", help="kpi --memory-limit")
    ap.add_argument("--duckdb-memory-limit", default="2GB", help="DuckDB's memory_limit")
    ap.add_argument("--runs", type=int, default=1, help="runs per tool; the best wall time is kept")
    ap.add_argument("--keep", action="store_true", help="keep the generated data")
    ap.add_argument("--parquet", action="store_true", help="also measure the record tables as Parquet")
    ap.add_argument("--kpi", default=os.path.join(ROOT, "target", "release", "kpi"))
    args = ap.parse_args()

    kpi = os.path.abspath(args.kpi)
    help_text = subprocess.run([kpi, "--help"], capture_output=True, text=True).stdout if os.path.exists(kpi) else ""
    probe = subprocess.run([kpi, "inspect", "/nonexistent", "--engine", "datafusion"], capture_output=True,
                           text=True) if help_text else None
    if not help_text or "built without the DataFusion engine" in (probe.stderr if probe else ""):
        run(["cargo", "build", "--release", "-p", "kpi-cli", "--features", "datafusion"], cwd=ROOT)

    data = args.data
    marker = os.path.join(data, f".copies-{args.copies}")
    if not os.path.exists(marker):
        shutil.rmtree(data, ignore_errors=True)
        run([kpi, "sample", "--scale", "national", "--copies", str(args.copies), "--out", data],
            stdout=subprocess.DEVNULL)
        open(marker, "w").close()
    size = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data) if f.endswith(".csv"))
    print(f"{data}: {size / 1e9:.2f} GB of CSV ({args.copies}x the national record tables)", flush=True)

    folders = [("csv", data)]
    if args.parquet:
        pq = data + "-parquet"
        if not os.path.isdir(pq):
            os.makedirs(pq)
            import duckdb
            con = duckdb.connect()
            con.execute("SET threads TO 2")
            for name in ("organisations", "observations", "students", "grades", "surveys"):
                src = os.path.join(data, name + ".csv")
                # Ids and codes stay text (leading zeros), as kpi sample --format parquet writes them.
                con.execute(f"COPY (SELECT * FROM read_csv('{src}', header = true, all_varchar = true)) "
                            f"TO '{pq}/{name}.parquet' (FORMAT parquet, COMPRESSION snappy)")
        folders.append(("parquet", pq))

    rows = []
    try:
        for fmt, folder in folders:
            m = measure([kpi, "inspect", folder, "--engine", "datafusion", "--memory-limit", args.memory_limit],
                        args.runs)
            rows.append((f"kpi --engine datafusion ({fmt})", m))
            d = measure([sys.executable, "-c", DUCKDB, folder, fmt, args.duckdb_memory_limit], args.runs)
            rows.append((f"DuckDB equivalent SQL ({fmt})", d))
    finally:
        if not args.keep:
            for _, folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
            print(f"deleted {', '.join(f for _, f in folders)}")

    print()
    print(f"{'run':<36} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    for name, m in rows:
        print(f"{name:<36} {m['wall']:>8.1f} {m['cpu']:>8.1f} {m['rss'] / 1e6:>12.0f}")
    for i in range(0, len(rows), 2):
        (k, a), (_, b) = rows[i], rows[i + 1]
        print(f"{k}: {a['wall'] / b['wall']:.2f}x DuckDB's wall time, {a['rss'] / b['rss']:.2f}x its peak memory; "
              f"peak {'under' if a['rss'] < 3e9 else 'OVER'} the 3 GB target")


if __name__ == "__main__":
    main()

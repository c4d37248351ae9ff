// Browser benchmark of the dataset engine against DuckDB-WASM (issue 18). Not part of
// `cargo xtask test` (it takes minutes); run it by hand:
//
//   cargo xtask widgets                                       # dist/kpi-widgets/ (release)
//   target/release/kpi sample --scale national --out /tmp/kz   # 224.6 MB of CSV
//   (cd tests/e2e && npm ci)                                  # playwright-core, @duckdb/duckdb-wasm
//   node tests/e2e/engine-bench.mjs [--data /tmp/kz] [--reps 3] [--only kpi|duckdb] [--plain]
//
// One headless Chromium page (cross-origin isolated, as the dashboard is, served by a static
// server started here; with `--plain` an ordinary page) first fetches the five CSV files into
// memory (not timed). In the isolated page, on two cores or more, the dataset worker runs the
// threaded engine module (kpi_engine_mt, a pool worker sharing the load); in an ordinary page
// the engine module without threads (kpi_engine). Each kpi line says how many threads loaded. Then, `--reps` times each,
// alternately:
//
// * kpi: a fresh engine worker (dist/kpi-widgets/kpi-worker.js, the one the widgets use),
//   its module instantiated before the clock starts; timed from posting `load` with the
//   files (their buffers transferred, as kpi-datasets.js does) until the worker answers:
//   every file parsed and validated, every indicator of the catalogue computed for every
//   organisation, programme and year, and the risk of every organisation assessed
//   (`Engine::from_sources`), and then until the answer to a first `ranking` (the latest
//   year, all organisations), as the dashboard asks right after loading: the per-criterion
//   explanations of the ranked organisations are built on that first request. Both times
//   are printed; the ratio uses load + ranking.
// * duckdb: a fresh DuckDB-WASM (`@duckdb/duckdb-wasm`, the bundle `selectBundle` picks, in
//   its own worker), instantiated before the clock starts; timed from registering the same
//   in-memory files (`registerFileBuffer`) until the last query returns. The SQL is that of
//   bench/load.py (see DUCKDB_SQL below): each CSV read into a table (all columns as text),
//   observations unpivoted to (org, programme, year, metric, value) rows; per organisation
//   (and programme) and year the student counts by status and the mean GPA; per student and
//   year the credit-weighted GPA of the grades; per organisation, year and survey the answer
//   count, satisfied count (score ≥ 4) and mean score. That is a part of what the engine
//   computes (no indicator formulas, peers, trends or risk).
//
// Memory: the resident memory (RSS, from /proc) of every process of this Chromium summed,
// sampled every 25 ms; the baseline is taken with the files in memory and the engine
// instantiated, just before the clock starts, so "above baseline" is what loading and
// computing add. Download sizes are the gzip -9 sizes of the files each engine needs in
// the browser; a PASS/FAIL line compares the engine module with the 500 KB target.
//
// Env: KPI_CHROMIUM (default /usr/bin/chromium), KPI_ROOT (the repository).
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = process.env.KPI_ROOT ?? path.resolve(HERE, '../..');
const DIST = path.join(ROOT, 'dist/kpi-widgets');
const DUCK = path.join(HERE, 'node_modules/@duckdb/duckdb-wasm/dist');
// Issue 18's target for the engine module's download, gzip -9, in KB of 1024 bytes.
const ENGINE_WASM_TARGET_KB = 500;
const FILES = ['organisations.csv', 'observations.csv', 'students.csv', 'grades.csv', 'surveys.csv'];

// The aggregation of bench/load.py, written for the national sample's layout (wide
// observations with org_id, year, programme), as DuckDB-WASM runs it.
const GPA_POINTS = `CASE WHEN s >= 95 THEN 4.0 WHEN s >= 90 THEN 3.67 WHEN s >= 85 THEN 3.33
  WHEN s >= 80 THEN 3.0 WHEN s >= 75 THEN 2.67 WHEN s >= 70 THEN 2.33 WHEN s >= 65 THEN 2.0
  WHEN s >= 60 THEN 1.67 WHEN s >= 55 THEN 1.33 WHEN s >= 50 THEN 1.0 WHEN s >= 25 THEN 0.5 ELSE 0.0 END`;
const DUCKDB_SQL = [
  ...FILES.map((f) => `CREATE TABLE ${f.replace('.csv', '')} AS SELECT * FROM read_csv('${f}', all_varchar=true)`),
  `CREATE TABLE obs_long AS SELECT org_id, programme, left(year, 4)::INT AS year, metric,
     TRY_CAST(replace(value, ',', '.') AS DOUBLE) AS value
   FROM (UNPIVOT observations ON COLUMNS(* EXCLUDE (org_id, year, programme)) INTO NAME metric VALUE value)`,
  `CREATE TABLE student_metrics AS
   SELECT org_id, programme, left(year, 4)::INT AS year,
     count(*) FILTER (WHERE status NOT IN ('graduated','expelled','transferred_out')) AS students_enrolled,
     count(*) FILTER (WHERE status = 'graduated') AS graduates,
     count(*) FILTER (WHERE status = 'graduated' AND employed = 'yes') AS graduates_employed,
     count(*) FILTER (WHERE status = 'graduated' AND further_study = 'yes') AS graduates_further_study,
     count(*) FILTER (WHERE status = 'expelled') AS expelled,
     count(*) FILTER (WHERE status = 'repeating') AS repeaters,
     avg(TRY_CAST(replace(gpa, ',', '.') AS DOUBLE)) FILTER (WHERE status NOT IN ('graduated','expelled','transferred_out')) AS gpa_mean
   FROM students
   GROUP BY GROUPING SETS ((org_id, programme, left(year, 4)::INT), (org_id, left(year, 4)::INT))`,
  `CREATE TABLE yearly_gpa AS
   SELECT student_id, year, sum(c * (${GPA_POINTS})) / sum(c) AS gpa
   FROM (SELECT student_id, left(year, 4)::INT AS year, TRY_CAST(replace(credits, ',', '.') AS DOUBLE) AS c,
                TRY_CAST(replace(score, ',', '.') AS DOUBLE) AS s FROM grades)
   GROUP BY ALL`,
  `CREATE TABLE survey_metrics AS
   SELECT org_id, left(year, 4)::INT AS year, survey,
     count(TRY_CAST(score AS DOUBLE)) AS answers,
     count(*) FILTER (WHERE TRY_CAST(score AS DOUBLE) >= 4) AS satisfied,
     avg(TRY_CAST(score AS DOUBLE)) AS score_mean
   FROM surveys GROUP BY ALL`,
];

const opts = { data: '/tmp/kz', reps: 3, only: null, plain: false };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const v = () => process.argv[++i] ?? fail(`${a} needs a value`);
  if (a === '--data') opts.data = v();
  else if (a === '--reps') opts.reps = Number(v());
  else if (a === '--only') opts.only = v();
  else if (a === '--plain') opts.plain = true;
  else fail(`unknown argument ${a} (usage: node engine-bench.mjs [--data DIR] [--reps N] [--only kpi|duckdb] [--plain])`);
}
if (!Number.isInteger(opts.reps) || opts.reps < 1) fail('--reps: expected a positive whole number');
for (const f of FILES) if (!existsSync(path.join(opts.data, f))) fail(`${opts.data}/${f} is missing (kpi sample --scale national --out ${opts.data})`);
if (!existsSync(path.join(DIST, 'kpi_engine_bg.wasm'))) fail(`${DIST} has no engine module: run cargo xtask widgets`);
if (!existsSync(DUCK)) fail(`${DUCK} is missing: run npm ci in tests/e2e`);

function fail(message) {
  console.error(`engine-bench: ${message}`);
  process.exit(1);
}

// ---- static server: /dist/ → dist/kpi-widgets, /duck/ → DuckDB-WASM, /nm/ → node_modules, /data/ → the sample.
const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.csv': 'text/csv', '.json': 'application/json' };
const mounts = { '/dist/': DIST, '/duck/': DUCK, '/nm/': path.join(HERE, 'node_modules'), '/data/': path.resolve(opts.data) };
const PAGE = `<!doctype html><meta charset="utf-8"><title>engine bench</title>
<script type="importmap">{"imports": {"apache-arrow": "/nm/apache-arrow/Arrow.dom.mjs", "tslib": "/nm/tslib/tslib.es6.js", "flatbuffers": "/nm/flatbuffers/mjs/flatbuffers.js"}}</script>
<body>engine bench</body>`;
const server = createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  // Cross-origin isolated, as the dashboard is (xtask serve): the dataset worker then runs
  // the threaded engine module on two cores or more. `--plain`: an ordinary page, the
  // engine module without threads.
  const isolation = opts.plain ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const headers = { ...isolation, 'Cache-Control': 'no-store' };
  if (url === '/' || url === '/index.html') { res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }); res.end(PAGE); return; }
  const mount = Object.keys(mounts).find((m) => url.startsWith(m));
  const file = mount && path.resolve(mounts[mount], url.slice(mount.length));
  if (!file || !file.startsWith(mounts[mount]) || !existsSync(file) || !statSync(file).isFile()) { if (process.env.KPI_BENCH_DEBUG) console.error('404', url); res.writeHead(404, headers); res.end(); return; }
  res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const BASE = `http://127.0.0.1:${server.address().port}`;

// ---- memory: RSS of every process descending from this one (this Chromium only).
function descendants() {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const out = [];
  const walk = (p) => { for (const c of children.get(p) ?? []) { out.push(c); walk(c); } };
  walk(process.pid);
  return out;
}
let pids = [];
function rssBytes() {
  let sum = 0;
  for (const p of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) sum += Number(m[1]) * 1024;
    } catch { /* gone */ }
  }
  return sum;
}
async function measured(run) {
  pids = descendants();
  const baseline = rssBytes();
  let peak = baseline;
  const timer = setInterval(() => { peak = Math.max(peak, rssBytes()); }, 25);
  try {
    const result = await run();
    peak = Math.max(peak, rssBytes());
    return { ...result, baseline, peakAbove: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

const gz = (files) => files.reduce((s, f) => s + gzipSync(readFileSync(f), { level: 9 }).length, 0);

const browser = await chromium.launch({
  executablePath: process.env.KPI_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--js-flags=--expose-gc', '--enable-precise-memory-info'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error('page:', m.text().slice(0, 300)); });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${BASE}/`);
  const inputBytes = await page.evaluate(async (files) => {
    window.__files = [];
    for (const name of files) {
      const bytes = new Uint8Array(await (await fetch(`/data/${name}`)).arrayBuffer());
      window.__files.push({ name, bytes });
    }
    return window.__files.reduce((s, f) => s + f.bytes.byteLength, 0);
  }, FILES);
  const isolated = await page.evaluate(() => self.crossOriginIsolated);
  const mb = (b) => (b / 1e6).toFixed(1);
  console.log(`input: ${FILES.length} files, ${mb(inputBytes)} MB in the page's memory (cross-origin isolated: ${isolated}); ${opts.reps} repetition(s); Chromium ${browser.version()}, ${process.platform}, Node ${process.version}`);

  // Setup and run, each in the page; the clock and memory sampling start between them.
  const kpiSetup = () => page.evaluate(async () => {
    const copy = window.__files.map((f) => ({ name: f.name, bytes: f.bytes.slice() }));
    const w = new Worker('/dist/kpi-worker.js', { type: 'module' });
    let seq = 0;
    const pending = new Map();
    w.onmessage = (e) => { const p = pending.get(e.data.id); if (p && !e.data.progress) { pending.delete(e.data.id); e.data.ok ? p.resolve(e.data.result) : p.reject(new Error(JSON.stringify(e.data.error))); } };
    const call = (op, args, transfer = []) => new Promise((resolve, reject) => { const id = ++seq; pending.set(id, { resolve, reject }); w.postMessage({ id, op, args }, transfer); });
    await call('dispose', { handle: 0 }); // instantiates the module
    window.__kpi = { w, call, copy };
    globalThis.gc?.();
  });
  const kpiRun = () => page.evaluate(async () => {
    const { call, copy } = window.__kpi;
    const t0 = performance.now();
    const r = await call('load', { files: copy }, copy.map((f) => f.bytes.buffer));
    const loadMs = performance.now() - t0;
    // As kpi-datasets.js asks for it: JSON text from the worker, parsed in the page.
    const ranking = JSON.parse(await call('ranking', { handle: r.handle, peers: {}, lang: 'en' }));
    const ms = performance.now() - t0;
    let memory = null;
    if (self.crossOriginIsolated && performance.measureUserAgentSpecificMemory) memory = (await performance.measureUserAgentSpecificMemory()).bytes;
    return { ms, loadMs, engineMs: r.ms, threads: r.threads, organisations: r.organisations, ranked: ranking.length, uaMemory: memory };
  });
  const kpiTeardown = () => page.evaluate(() => { window.__kpi.w.terminate(); window.__kpi = null; globalThis.gc?.(); });

  const duckSetup = () => page.evaluate(async () => {
    const duckdb = await import('/duck/duckdb-browser.mjs');
    const base = `${location.origin}/duck/`;
    const bundle = await duckdb.selectBundle({
      mvp: { mainModule: `${base}duckdb-mvp.wasm`, mainWorker: `${base}duckdb-browser-mvp.worker.js` },
      eh: { mainModule: `${base}duckdb-eh.wasm`, mainWorker: `${base}duckdb-browser-eh.worker.js` },
    });
    const worker = new Worker(bundle.mainWorker);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(bundle.mainModule);
    const conn = await db.connect();
    const copy = window.__files.map((f) => ({ name: f.name, bytes: f.bytes.slice() }));
    window.__duck = { db, conn, worker, copy, bundle: bundle.mainModule.split('/').pop() };
    globalThis.gc?.();
  });
  const duckRun = (sql) => page.evaluate(async (sql) => {
    const { db, conn, copy, bundle } = window.__duck;
    const t0 = performance.now();
    for (const f of copy) await db.registerFileBuffer(f.name, f.bytes);
    for (const q of sql) await conn.query(q);
    const ms = performance.now() - t0;
    const count = async (q) => Number((await conn.query(q)).toArray()[0].n);
    const rows = {
      student_metrics: await count('SELECT count(*) AS n FROM student_metrics'),
      yearly_gpa: await count('SELECT count(*) AS n FROM yearly_gpa'),
      survey_metrics: await count('SELECT count(*) AS n FROM survey_metrics'),
      obs_long: await count('SELECT count(*) AS n FROM obs_long'),
    };
    let memory = null;
    if (self.crossOriginIsolated && performance.measureUserAgentSpecificMemory) memory = (await performance.measureUserAgentSpecificMemory()).bytes;
    return { ms, bundle, rows, uaMemory: memory };
  }, sql);
  const duckTeardown = () => page.evaluate(async () => { await window.__duck.conn.close(); await window.__duck.db.terminate(); window.__duck = null; globalThis.gc?.(); });

  const results = { kpi: [], duckdb: [] };
  for (let rep = 0; rep < opts.reps; rep++) {
    if (opts.only !== 'duckdb') {
      await kpiSetup();
      const r = await measured(kpiRun);
      await kpiTeardown();
      results.kpi.push(r);
      console.log(`kpi    #${rep + 1}: ${r.ms.toFixed(0)} ms (load ${r.loadMs.toFixed(0)} ms on ${r.threads} thread(s), of which in the worker ${r.engineMs.toFixed(0)} ms; then the ranking), ${r.organisations} organisations, ${r.ranked} ranked; peak ${mb(r.peakAbove)} MB above baseline (${(r.peakAbove / inputBytes).toFixed(2)}× input)`);
    }
    if (opts.only !== 'kpi') {
      await duckSetup();
      const r = await measured(() => duckRun(DUCKDB_SQL));
      await duckTeardown();
      results.duckdb.push(r);
      console.log(`duckdb #${rep + 1}: ${r.ms.toFixed(0)} ms (${r.bundle}), rows ${JSON.stringify(r.rows)}; peak ${mb(r.peakAbove)} MB above baseline (${(r.peakAbove / inputBytes).toFixed(2)}× input)`);
    }
  }

  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[(s.length - 1) >> 1]; };
  // The module the worker used: the threaded one when the load ran on more than one thread.
  const threaded = results.kpi.some((r) => r.threads > 1);
  const engine = threaded ? 'kpi_engine_mt' : 'kpi_engine';
  const kpiGz = gz([`${engine}_bg.wasm`, `${engine}.js`, 'kpi-worker.js', 'kpi-engine-host.js', ...(threaded ? ['kpi-pool-worker.js'] : [])].map((f) => path.join(DIST, f)));
  const wasmGz = gz([path.join(DIST, `${engine}_bg.wasm`)]);
  const otherEngine = threaded ? 'kpi_engine' : 'kpi_engine_mt';
  const otherGz = existsSync(path.join(DIST, `${otherEngine}_bg.wasm`)) ? gz([path.join(DIST, `${otherEngine}_bg.wasm`)]) : null;
  const duckBundle = results.duckdb[0]?.bundle ?? 'duckdb-eh.wasm';
  const duckWorker = duckBundle.includes('eh') ? 'duckdb-browser-eh.worker.js' : 'duckdb-browser-mvp.worker.js';
  const duckGz = gz([duckBundle, duckWorker, 'duckdb-browser.mjs'].map((f) => path.join(DUCK, f)));
  console.log('\nsummary (median of the repetitions)');
  console.log(`  download (gzip -9): kpi ${(kpiGz / 1024).toFixed(0)} KB (engine .wasm ${(wasmGz / 1024).toFixed(0)} KB), duckdb ${(duckGz / 1024).toFixed(0)} KB (${duckBundle}, its worker and duckdb-browser.mjs; apache-arrow not counted)`);
  // Not in the download of a CSV load: the spreadsheet module, fetched only for a workbook.
  const sheetsFiles = ['kpi_sheets_bg.wasm', 'kpi_sheets.js'].map((f) => path.join(DIST, f));
  if (sheetsFiles.every((f) => existsSync(f))) {
    console.log(`  spreadsheet module (fetched only when a workbook is loaded, not counted above): ${(gz(sheetsFiles) / 1024).toFixed(0)} KB gzip -9`);
  }
  // Issue 18's size target: the engine module (.wasm) at most 500 KB gzip -9 (KB = 1024 B),
  // for both builds (threaded and plain).
  const sizeOk = wasmGz <= ENGINE_WASM_TARGET_KB * 1024 && (otherGz === null || otherGz <= ENGINE_WASM_TARGET_KB * 1024);
  if (otherGz !== null) console.log(`  the other engine build (not fetched in this run): ${otherEngine}_bg.wasm ${otherGz} B gzip -9 = ${(otherGz / 1024).toFixed(1)} KB (${otherGz <= ENGINE_WASM_TARGET_KB * 1024 ? 'within' : 'OVER'} the ${ENGINE_WASM_TARGET_KB} KB target)`);
  console.log(`  engine module size target: ${sizeOk ? 'PASS' : 'FAIL'}: ${engine}_bg.wasm ${wasmGz} B gzip -9 = ${(wasmGz / 1024).toFixed(1)} KB against at most ${ENGINE_WASM_TARGET_KB} KB (${(wasmGz / 1024 / ENGINE_WASM_TARGET_KB).toFixed(2)}× the target; DuckDB-WASM's download is ${(duckGz / wasmGz).toFixed(1)}× this module)`);
  if (results.kpi.length) {
    const t = median(results.kpi.map((r) => r.ms)); const m = median(results.kpi.map((r) => r.peakAbove));
    console.log(`  kpi:    ${t.toFixed(0)} ms, ${(inputBytes / 1e6 / (t / 1000)).toFixed(1)} MB/s, peak ${mb(m)} MB above baseline (${(m / inputBytes).toFixed(2)}× input)`);
  }
  if (results.duckdb.length) {
    const t = median(results.duckdb.map((r) => r.ms)); const m = median(results.duckdb.map((r) => r.peakAbove));
    console.log(`  duckdb: ${t.toFixed(0)} ms, ${(inputBytes / 1e6 / (t / 1000)).toFixed(1)} MB/s, peak ${mb(m)} MB above baseline (${(m / inputBytes).toFixed(2)}× input)`);
  }
  if (results.kpi.length && results.duckdb.length) {
    const tk = median(results.kpi.map((r) => r.ms)); const td = median(results.duckdb.map((r) => r.ms));
    const mk = median(results.kpi.map((r) => r.peakAbove)); const md = median(results.duckdb.map((r) => r.peakAbove));
    console.log(`  kpi / duckdb: time ${(tk / td).toFixed(2)}×, peak memory ${(mk / md).toFixed(2)}×, download ${(kpiGz / duckGz).toFixed(3)}×`);
  }
  console.log(JSON.stringify({ inputBytes, kpiGz, kpiWasmGz: wasmGz, kpiWasmTargetKb: ENGINE_WASM_TARGET_KB, kpiWasmSizeOk: sizeOk, duckGz, kpi: results.kpi, duckdb: results.duckdb }));
} finally {
  await browser.close();
  server.close();
}

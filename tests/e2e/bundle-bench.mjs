// Benchmark of a portal page drawing from a published bundle, in headless Chromium:
//   KPI_BUNDLE=/tmp/national-bundle node bundle-bench.mjs [ORG_ID ...]
// (`kpi publish DATA --out /tmp/national-bundle` first; `cargo xtask widgets` for
// dist/kpi-widgets). For each organisation (default: the first of each level) a page with
// three widgets (kpi-card, trend, compare among the region's peers) is served from memory
// with the bundle and the widgets on one local server; reported, on a cold cache:
//   * bytes of bundle data transferred, gzip (the server compresses like a portal's) and raw;
//     target: at most 150 KB gzip;
//   * time from the chart module being ready to the first widget drawn; target: 500 ms;
//   * time until all three are drawn; whether the engine was fetched (it must not be).
// Then the analyst dashboard opens the same bundle (`?bundle=`): time until the ranking
// shows; target: 1 s.

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join, extname } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const BUNDLE = process.env.KPI_BUNDLE;
if (!BUNDLE) {
  console.error('set KPI_BUNDLE to a folder written by `kpi publish`');
  process.exit(2);
}
const CHROMIUM = process.env.KPI_CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html; charset=utf-8', '.css': 'text/css' };

function page(org) {
  const w = (kind, extra = '') => `<kpi-widget kind="${kind}" src="/kpi-data/manifest.json" org="${org}" indicator="INDICATOR" lang="kk" ${extra}></kpi-widget>`;
  return `<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>bench</title>
<script type="module">
import { ready } from '/kpi/kpi-widgets.js';
ready('trend').then(() => { window.__ready = performance.now(); });
</script></head><body>
${w('kpi-card', 'height="170"')}${w('trend', 'height="320"')}${w('compare', 'peers="region" height="460"')}
</body></html>`;
}

async function serveFile(res, path, gzip) {
  try {
    const body = await readFile(path);
    const headers = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    if (gzip && extname(path) !== '.wasm') {
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip' });
      res.end(gzipSync(body, { level: 6 }));
    } else {
      res.writeHead(200, headers);
      res.end(body);
    }
  } catch {
    res.writeHead(404);
    res.end();
  }
}

let html = '';
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const gzip = /gzip/.test(req.headers['accept-encoding'] ?? '');
  if (url.pathname === '/bench.html') {
    res.writeHead(200, { 'content-type': TYPES['.html'] });
    res.end(html);
  } else if (url.pathname.startsWith('/kpi-data/')) {
    serveFile(res, join(BUNDLE, decodeURIComponent(url.pathname.slice(10))), gzip);
  } else if (url.pathname.startsWith('/kpi/')) {
    serveFile(res, join(ROOT, 'dist/kpi-widgets', url.pathname.slice(5)), gzip);
  } else {
    const p = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    serveFile(res, join(ROOT, 'demo', p), gzip);
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// The organisations: those given, else the first of each level.
const manifest = JSON.parse(await readFile(join(BUNDLE, 'manifest.json'), 'utf8'));
let orgs = process.argv.slice(2);
if (orgs.length === 0) {
  const seen = new Set();
  for (const f of (await readdir(join(BUNDLE, 'orgs'))).filter((n) => n.endsWith('.json')).sort()) {
    const p = JSON.parse(await readFile(join(BUNDLE, 'orgs', f), 'utf8'));
    if (seen.has(p.org.level)) continue;
    seen.add(p.org.level);
    orgs.push(p.org.id);
    if (seen.size === manifest.levels.length) break;
  }
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const results = [];
for (const org of orgs) {
  const p = JSON.parse(await readFile(join(BUNDLE, 'orgs', `${org}.json`), 'utf8'));
  const indicator = Object.keys(p.units[0].indicators)[0];
  html = page(org).replaceAll('INDICATOR', indicator);
  const context = await browser.newContext();
  const tab = await context.newPage();
  let gz = 0;
  let raw = 0;
  const fetched = [];
  tab.on('response', async (r) => {
    const path = new URL(r.url()).pathname;
    fetched.push(path);
    if (!path.startsWith('/kpi-data/')) return;
    const size = Number((await r.headerValue('content-length').catch(() => null)) ?? 0);
    const body = await r.body().catch(() => Buffer.alloc(0));
    raw += body.length;
    gz += size || gzipSync(body).length;
  });
  await tab.goto(`${base}/bench.html`);
  const times = await tab.evaluate(async () => {
    const until = (f) => new Promise((resolve) => {
      const tick = () => (f() ? resolve(performance.now()) : requestAnimationFrame(tick));
      tick();
    });
    const ws = () => [...document.querySelectorAll('kpi-widget')];
    await until(() => window.__ready);
    const first = await until(() => ws().some((w) => w.getAttribute('data-kpi-state') === 'drawn'));
    const all = await until(() => ws().every((w) => ['drawn', 'error'].includes(w.getAttribute('data-kpi-state'))));
    return { ready: window.__ready, first, all, states: ws().map((w) => w.getAttribute('data-kpi-state')) };
  });
  await new Promise((r) => setTimeout(r, 200));
  const engine = fetched.filter((f) => /kpi_engine|kpi-worker|kpi-datasets/.test(f));
  results.push({ org, level: p.org.level, indicator, ...times, gz, raw, engine });
  console.log(`${org} (${p.org.level}, ${indicator}): widgets ${times.states.join('/')}; data ${(gz / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(0)} KB raw; target 150 KB gzip); first widget ${(times.first - times.ready).toFixed(0)} ms after the module is ready (target 500 ms), all three ${(times.all - times.ready).toFixed(0)} ms; engine fetched: ${engine.length ? engine.join(', ') : 'no'}`);
  await context.close();
}

// The dashboard on the same bundle: time until the ranking shows.
const dash = await (await browser.newContext()).newPage();
const t0 = Date.now();
await dash.goto(`${base}/?bundle=${encodeURIComponent('/kpi-data/manifest.json')}`);
await dash.waitForFunction(() => document.querySelectorAll('#ranking-table tbody tr').length > 0, null, { timeout: 60_000 });
const shown = Date.now() - t0;
const rows = await dash.evaluate(() => document.querySelectorAll('#ranking-table tbody tr').length);
console.log(`dashboard: ranking of ${rows} rows shown ${shown} ms after navigation (target 1 s)`);
await browser.close();
server.close();

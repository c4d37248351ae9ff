// Size and speed of <kpi-widget> against ECharts and uPlot, in the same headless Chromium
// page (demo/e2e/bench.html). Run as part of run.mjs, or alone: `node bench.mjs` with the
// same environment. Prints a table and writes target/e2e/bench.json.
//
// Targets (issues 5 and 14): the chart path a portal loads first (the core chart module's
// .wasm + glue + the element's JS, gzip -9) ≤ 230 KB and the full path (the full chart
// module instead) ≤ 300 KB; first widget drawn ≤ 100 ms after the module is ready; trend
// redraw ≤ 8 ms; compare of 1,000 organisations ≤ 30 ms. The page draws core kinds, so the
// times are the core module's.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const VENDOR = {
  '/vendor/echarts.min.js': ['echarts/dist/echarts.min.js', 'text/javascript'],
  '/vendor/uPlot.iife.min.js': ['uplot/dist/uPlot.iife.min.js', 'text/javascript'],
  '/vendor/uPlot.min.css': ['uplot/dist/uPlot.min.css', 'text/css'],
};

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

/**
 * The entry module and every module it imports statically, in `dir`: the element's
 * JavaScript a page loads before its first chart (kpi-widgets.js is one of several modules;
 * the glue and the dataset client are imported on demand and counted apart or not at all).
 */
function staticModules(dir, entry) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const m of readFileSync(join(dir, name), 'utf8').matchAll(/(?:from|import)\s*'\.\/([^']+)'/g)) visit(m[1]);
  };
  visit(entry);
  return [...seen];
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

export async function runBench(browser, base, root) {
  const dist = join(root, 'dist', 'kpi-widgets');
  const element = staticModules(dist, 'kpi-widgets.js').reduce((sum, m) => sum + gz(join(dist, m)), 0);
  const path = (module) => {
    const p = { wasm: gz(join(dist, `${module}_bg.wasm`)), glue: gz(join(dist, `${module}.js`)), element };
    return { ...p, total: p.wasm + p.glue + p.element };
  };
  const sizes = {
    // The core chart module (the kinds most portal pages show) and the full one (every kind).
    core: path('kpi_widgets_core'),
    full: path('kpi_widgets'),
    echarts: gz(join(HERE, 'node_modules', VENDOR['/vendor/echarts.min.js'][0])),
    uplot: gz(join(HERE, 'node_modules', VENDOR['/vendor/uPlot.iife.min.js'][0])),
  };
  sizes.ours = sizes.core.total;

  const page = await browser.newPage({ viewport: { width: 2000, height: 1100 }, deviceScaleFactor: 1 });
  await page.route('**/vendor/**', (route) => {
    const entry = VENDOR[new URL(route.request().url()).pathname];
    if (!entry) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: entry[1], body: readFileSync(join(HERE, 'node_modules', entry[0])) });
  });
  await page.goto(`${base}/e2e/bench.html`);
  const r = await page.evaluate(() => window.__bench);
  mkdirSync(join(root, 'target', 'e2e'), { recursive: true });
  await page.screenshot({ path: join(root, 'target', 'e2e', 'bench.png'), clip: { x: 0, y: 0, width: 1960, height: 1000 } });
  await page.close();
  if (r.error) throw new Error(`benchmark page failed: ${r.error}`);

  console.log('\nbenchmark (headless Chromium, same page, median of runs)');
  const line = (p) => `${kb(p.total)} (wasm ${kb(p.wasm)} + glue ${kb(p.glue)} + element ${kb(p.element)})`;
  console.log(`  size, gzip -9: core path ${line(sizes.core)}; target ≤ 230 KB`);
  console.log(`                 full path ${line(sizes.full)}; target ≤ 300 KB`);
  console.log(`                 ECharts ${kb(sizes.echarts)}, uPlot ${kb(sizes.uplot)}`);
  console.log(`  module ready: ${ms(r.moduleReadyMs)}; first widget drawn after ready: ${ms(r.firstWidgetMs)} (of which layout + draw ${ms(r.firstWidgetDrawMs)}; target ≤ 100 ms)`);
  const rows = [
    ['trend redraw (target ≤ 8 ms)', 'trendRedrawMs'],
    ['compare 1,000 orgs, new chart (target ≤ 30 ms)', 'compare1000Ms'],
    ['compare 1,000 orgs, redraw', 'compare1000RedrawMs'],
  ];
  for (const [name, key] of rows) {
    const o = r.ours[key];
    const e = r.echarts[key];
    const u = r.uplot[key];
    console.log(`  ${name.padEnd(48)} ours ${ms(o).padStart(10)} | ECharts ${ms(e).padStart(10)} (ours/theirs ${ratio(o, e)}) | uPlot ${ms(u).padStart(10)} (ours/theirs ${ratio(o, u)})`);
  }
  const out = { sizes, ...r };
  writeFileSync(join(root, 'target', 'e2e', 'bench.json'), `${JSON.stringify(out, null, 2)}\n`);
  const ok = sizes.core.total <= 230 * 1024 && sizes.full.total <= 300 * 1024 && r.firstWidgetMs <= 100 && r.ours.trendRedrawMs <= 8 && r.ours.compare1000Ms <= 30;
  console.log(ok ? '  all targets met' : '  NOTE: a target is missed (see above)');
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.KPI_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    await runBench(browser, process.env.KPI_BASE_URL ?? 'http://127.0.0.1:8731', process.env.KPI_ROOT ?? join(HERE, '..', '..'));
  } finally {
    await browser.close();
  }
}

// Manual benchmark (not part of `cargo xtask test`): the national sample loaded in the
// dashboard through the file input, measuring the worker's time, the largest Chromium
// process's resident memory and the main thread's frame gaps while it loads.
//   cargo run --release -- sample --out /tmp/national --scale national
//   cargo xtask serve --port 8741 &   node national.mjs
// Env: KPI_BASE_URL (default http://127.0.0.1:8741), KPI_NATIONAL (default /tmp/national),
// KPI_CHROMIUM, KPI_ROOT (screenshot to target/e2e/dashboard/national.png).
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
const b = await chromium.launch({ executablePath: process.env.KPI_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1600, height: 1000 } });
p.on('console', m => { if (m.type() === 'error') console.log('console', m.type(), m.text().slice(0,300)); });
const BASE = process.env.KPI_BASE_URL ?? 'http://127.0.0.1:8741';
const DIR = process.env.KPI_NATIONAL ?? '/tmp/national';
const ROOT = process.env.KPI_ROOT ?? new URL('../..', import.meta.url).pathname;
await p.goto(`${BASE}/index.html`);
for (let i = 0; i < 240; i++) { if (await p.evaluate(() => document.body.dataset.state) === 'ready') break; await new Promise(r => setTimeout(r, 250)); }
// Frame gaps on the main thread while the national sample loads.
await p.evaluate(() => { window.__gaps = []; let last = performance.now(); const f = (t) => { window.__gaps.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(f); }; requestAnimationFrame(f); document.body.dataset.state = 'picked'; });
const files = ['organisations.csv','observations.csv','students.csv','grades.csv','surveys.csv'].map(f => `${DIR}/${f}`);
const t0 = Date.now();
await p.setInputFiles('#file-input', files);
let maxRss = 0;
for (let i = 0; i < 2400; i++) {
  const s = await p.evaluate(() => document.body.dataset.state);
  const rss = Number(execSync("ps -C chromium -o rss= | sort -n | tail -1").toString().trim() || 0);
  maxRss = Math.max(maxRss, rss);
  if (s === 'ready' || s === 'error') break;
  await new Promise(r => setTimeout(r, 250));
}
const total = Date.now() - t0;
const r = await p.evaluate(() => { window.__stop = true; const g = window.__gaps; g.sort((a, b) => b - a); return { state: document.body.dataset.state, status: document.getElementById('status-text').textContent, loadMs: window.__kpiDashboard.dataset?.loadMs, engineMs: window.__kpiDashboard.dataset?.engineMs, frames: g.length, worstGaps: g.slice(0, 5).map(Math.round), rows: window.__kpiDashboard.ranking.length }; });
console.log(JSON.stringify({ total, maxRssMB: Math.round(maxRss / 1024), ...r }));
// Interaction after load: select another org, time until widgets settle.
const t1 = Date.now();
await p.click('#ranking-table tbody tr:nth-child(5)');
await new Promise(r => setTimeout(r, 300));
for (let i = 0; i < 400; i++) { const ok = await p.evaluate(() => [...document.querySelectorAll('main kpi-widget')].every(w => ['drawn','error'].includes(w.getAttribute('data-kpi-state')))); if (ok) break; await new Promise(r => setTimeout(r, 100)); }
console.log('select → all widgets drawn ms', Date.now() - t1);
await p.screenshot({ path: `${ROOT}/target/e2e/dashboard/national.png`, fullPage: true });
await b.close();

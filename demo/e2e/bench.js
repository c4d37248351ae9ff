// The benchmark page: the same trend and 1,000-organisation compare charts drawn by
// <kpi-widget> (WebAssembly + plotters), ECharts and uPlot, timed in the same page.
// Results go to window.__bench (read by tests/e2e/bench.mjs).
import { trendData, compareData } from './fixtures.js';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const now = () => performance.now();
const microtask = () => new Promise((r) => queueMicrotask(r));
const DPR = window.devicePixelRatio || 1;

async function timeRuns(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    await fn(i);
    out.push(now() - t0);
  }
  return median(out);
}

function trendSeries(d) {
  const years = [];
  for (let y = 2016; y <= 2026; y++) years.push(y);
  const byYear = (arr, f) => years.map((y) => { const p = arr.find((q) => q.year === y); return p ? f(p) : null; });
  return {
    years,
    value: byYear(d.points, (p) => p.value ?? null),
    median: byYear(d.peers, (p) => p.median),
    q1: byYear(d.peers, (p) => p.q1),
    q3: byYear(d.peers, (p) => p.q3),
    lower: byYear(d.forecast, (p) => p.lower),
    upper: byYear(d.forecast, (p) => p.upper),
    forecast: byYear(d.forecast, (p) => p.value),
  };
}

function echartsTrend(s) {
  const band = s.q3.map((v, i) => (v === null || s.q1[i] === null ? null : v - s.q1[i]));
  const fband = s.upper.map((v, i) => (v === null ? null : v - s.lower[i]));
  return {
    animation: false,
    title: { text: 'Трудоустройство выпускников', subtext: 'Алматинский политехнический колледж №1' },
    legend: { top: 48 },
    grid: { top: 90, left: 48, right: 16, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: s.years.map((y) => `${y}–${String(y + 1).slice(2)}`) },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
    series: [
      { name: 'q1', type: 'line', data: s.q1, stack: 'iqr', symbol: 'none', lineStyle: { opacity: 0 } },
      { name: 'IQR', type: 'line', data: band, stack: 'iqr', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: '#d7dbe2' } },
      { name: 'lo', type: 'line', data: s.lower, stack: 'fc', symbol: 'none', lineStyle: { opacity: 0 } },
      { name: '95%', type: 'line', data: fband, stack: 'fc', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: '#dbe8f7' } },
      { name: 'Медиана', type: 'line', data: s.median, symbol: 'none', lineStyle: { type: 'dashed', color: '#333' } },
      { name: 'Прогноз', type: 'line', data: s.forecast, symbol: 'none', lineStyle: { type: 'dashed' } },
      { name: 'Колледж', type: 'line', data: s.value, connectNulls: false, lineStyle: { width: 3 } },
    ],
  };
}

function echartsCompare(d) {
  const bars = d.bars.filter((b) => b.value !== null).sort((a, b) => b.value - a.value);
  const names = bars.map((b) => b.name.ru);
  const values = bars.map((b) => ({ value: b.value, itemStyle: { color: b.highlight ? '#1565c0' : '#a9b4c2' } }));
  const med = median(bars.map((b) => b.value));
  return {
    animation: false,
    title: { text: 'Трудоустройство выпускников', subtext: 'Колледжи, 2023–2024' },
    grid: { top: 70, left: 160, right: 24, bottom: 32 },
    tooltip: {},
    xAxis: { type: 'value', min: 0, max: 100 },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 9 } },
    series: [{ type: 'bar', data: values, barCategoryGap: '20%', large: false,
      markLine: { symbol: 'none', data: [{ xAxis: med, name: 'Медиана' }] } }],
  };
}

function uplotTrend(s, el) {
  const data = [s.years, s.value, s.median, s.q1, s.q3, s.forecast, s.lower, s.upper];
  const opts = {
    width: 640, height: 360, pxRatio: DPR, title: 'Трудоустройство выпускников',
    scales: { x: { time: false }, y: { range: [0, 100] } },
    series: [
      {},
      { label: 'Колледж', stroke: '#1565c0', width: 3, spanGaps: false },
      { label: 'Медиана', stroke: '#333', dash: [6, 4] },
      { label: 'Q1', stroke: '#c3c9d2' },
      { label: 'Q3', stroke: '#c3c9d2' },
      { label: 'Прогноз', stroke: '#1565c0', dash: [6, 4] },
      { label: '95% lo', stroke: '#b3cdea' },
      { label: '95% hi', stroke: '#b3cdea' },
    ],
    bands: [{ series: [4, 3], fill: 'rgba(190,198,210,0.5)' }, { series: [7, 6], fill: 'rgba(179,205,234,0.5)' }],
  };
  return { opts, data, el };
}

function uplotCompare(d, el) {
  const bars = d.bars.filter((b) => b.value !== null).sort((a, b) => b.value - a.value);
  const x = bars.map((_, i) => i);
  const y = bars.map((b) => b.value);
  const opts = {
    width: 640, height: 600, pxRatio: DPR, title: 'Трудоустройство выпускников',
    scales: { x: { time: false, ori: 1, dir: -1 }, y: { ori: 0, range: [0, 100] } },
    axes: [{ side: 3 }, { side: 0 }],
    series: [{}, { label: 'Колледж', fill: '#a9b4c2', paths: window.uPlot.paths.bars({ size: [0.8] }), points: { show: false } }],
  };
  return { opts, data: [x, y], el };
}

async function run() {
  const results = { dpr: DPR };
  const t0 = now();
  const api = await import('/kpi/kpi-widgets.js');
  // The module a page of trend and compare widgets loads: the core chart module.
  const glue = await api.ready('trend');
  results.moduleReadyMs = now() - t0;

  // Ours: first widget, trend redraw, compare of 1,000 organisations.
  const trend = trendData();
  const compare = compareData(1000, { hostile: false });
  const t1 = now();
  const w = await api.render(document.getElementById('ours-trend'), { kind: 'trend', data: trend, lang: 'ru', height: 360 });
  results.firstWidgetMs = now() - t1;
  results.firstWidgetDrawMs = w.lastDrawMs;
  for (let i = 0; i < 5; i++) w.redraw();
  results.ours = { trendRedrawMs: await timeRuns(50, () => w.redraw()) };
  const canvas = document.createElement('canvas');
  const spec = { kind: 'compare', lang: 'ru', data: compare };
  results.ours.compare1000Ms = await timeRuns(25, () => {
    const c = new glue.Chart(spec);
    c.draw(canvas, 640, 600, DPR);
    c.free();
  });
  const cw = await api.render(document.getElementById('ours-compare'), { kind: 'compare', data: compare, lang: 'ru', height: 600 });
  results.ours.compare1000RedrawMs = await timeRuns(10, () => cw.redraw());

  // ECharts.
  const ec = window.echarts;
  const s = trendSeries(trend);
  const et = ec.init(document.getElementById('echarts-trend'), null, { renderer: 'canvas', devicePixelRatio: DPR });
  const trendOpt = echartsTrend(s);
  et.setOption(trendOpt, true);
  et.getZr().flush();
  results.echarts = {
    trendRedrawMs: await timeRuns(50, () => { et.setOption(trendOpt, true); et.getZr().flush(); }),
  };
  const compareEl = document.getElementById('echarts-compare');
  let ecc = null;
  results.echarts.compare1000Ms = await timeRuns(25, () => {
    if (ecc) ecc.dispose();
    ecc = ec.init(compareEl, null, { renderer: 'canvas', devicePixelRatio: DPR });
    ecc.setOption(echartsCompare(compare), true);
    ecc.getZr().flush();
  });
  results.echarts.compare1000RedrawMs = await timeRuns(10, () => { ecc.setOption(echartsCompare(compare), true); ecc.getZr().flush(); });

  // uPlot (draws in a microtask after construction or setData).
  const U = window.uPlot;
  const ut = uplotTrend(s, document.getElementById('uplot-trend'));
  const up = new U(ut.opts, ut.data, ut.el);
  await microtask();
  results.uplot = { trendRedrawMs: await timeRuns(50, async () => { up.setData(ut.data); await microtask(); }) };
  const uc = uplotCompare(compare, document.getElementById('uplot-compare'));
  let upc = null;
  results.uplot.compare1000Ms = await timeRuns(25, async () => {
    if (upc) upc.destroy();
    upc = new U(uc.opts, uc.data, uc.el);
    await microtask();
  });
  results.uplot.compare1000RedrawMs = await timeRuns(10, async () => { upc.setData(uc.data); await microtask(); });
  return results;
}

window.__bench = run().catch((e) => ({ error: String(e?.stack ?? e) }));

// The large-series drawing benchmark (issue 18): a trend and a scatter of 166,650 points
// (uPlot's published benchmark size) drawn by our Chart API, uPlot and ECharts on the same
// data, at the same canvas size, in this one page. Results go to window.__drawBench (read
// by tests/e2e/draw-bench.mjs). Query: ?n=166650&cold=5&redraw=10&only=ours,uplot,echarts,widget
// &theme=dark&kinds=trend,scatter.
//
// cold:   from the data in JavaScript arrays to the finished first draw: ours `new
//         Chart({kind, data})` (the JSON handover) + `draw(canvas, …)`; uPlot `new uPlot(opts,
//         data, el)` + the microtask it draws in; ECharts `init` + `setOption` + `flush`.
//         The previous instance is disposed outside the clock.
// redraw: the same chart at another width (640 ↔ 600 CSS px, every library lays out and
//         draws again): ours `draw(canvas, w, …)`; uPlot `setSize`; ECharts `resize` + flush.
// ECharts runs twice: with its large-data options (line `sampling: 'lttb'`, scatter
//         `large: true`; no progressive frames), then without them (every point drawn).
// widget: (ours only) `render()` of a <kpi-widget> with the same data: the cold draw plus the
//         summary, the accessible data table and the first window of point buttons.
import { rng } from './fixtures.js';

const q = new URLSearchParams(location.search);
const N = Number(q.get('n')) || 166_650;
const COLD = Number(q.get('cold')) || 5;
const REDRAW = Number(q.get('redraw')) || 10;
const W = 640;
const W2 = 600;
const H = 360;
const DPR = window.devicePixelRatio || 1;
const FIRST_YEAR = 1;
const THEME = q.get('theme') || 'light';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const now = () => performance.now();
const microtask = () => new Promise((r) => queueMicrotask(r));
const frame = () => new Promise((r) => setTimeout(r, 0));

/** Times `fn` `n` times (after `setup`, untimed, before each); the median and every run. */
async function timeRuns(n, fn, setup = async () => {}) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    await setup(i);
    await frame();
    const t0 = now();
    await fn(i);
    runs.push(now() - t0);
  }
  return { median: median(runs), runs };
}

// ---- the data: a random walk in 0–100 % (trend) and a correlated cloud (scatter).
function makeData() {
  const r = rng(18);
  const years = new Float64Array(N);
  const values = new Float64Array(N);
  let v = 60;
  for (let i = 0; i < N; i++) {
    v = Math.min(100, Math.max(0, v + (r() - 0.5) * 2));
    years[i] = FIRST_YEAR + i;
    values[i] = Math.round(v * 100) / 100;
  }
  const sx = new Float64Array(N);
  const sy = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const a = (r() + r() + r()) / 3;
    const b = (r() + r() + r()) / 3;
    sx[i] = Math.round((40 + 55 * a) * 100) / 100;
    sy[i] = Math.round((0.5 * sx[i] + 45 * b) * 100) / 100;
  }
  return { years, values, sx, sy };
}

const INDICATOR = { code: 'employment_rate', label: 'Graduate employment rate', unit: '%', direction: { kind: 'higher' } };
const ATTENDANCE = { code: 'attendance_rate', label: 'Attendance', unit: '%', direction: { kind: 'higher' } };

// Ours: the points as columns of typed arrays (the documented handover of long numeric
// series; `json` in the query sends the same points as JSON objects instead).
const JSON_POINTS = q.has('json');
function oursTrend(d) {
  if (!JSON_POINTS) return { indicator: INDICATOR, unit_name: 'Bench college', points: { year: Int32Array.from(d.years), value: d.values } };
  const points = new Array(N);
  for (let i = 0; i < N; i++) points[i] = { year: d.years[i], value: d.values[i] };
  return { indicator: INDICATOR, unit_name: 'Bench college', points };
}

function oursScatter(d) {
  const ids = new Array(N);
  const names = new Array(N);
  for (let i = 0; i < N; i++) {
    ids[i] = String(i);
    names[i] = `Unit ${i}`;
  }
  if (!JSON_POINTS) return { x: ATTENDANCE, y: INDICATOR, year: 2024, points: { x: d.sx, y: d.sy, id: ids, name: names } };
  const points = new Array(N);
  for (let i = 0; i < N; i++) points[i] = { id: ids[i], name: names[i], x: d.sx[i], y: d.sy[i] };
  return { x: ATTENDANCE, y: INDICATOR, year: 2024, points };
}

function uplotTrend(d) {
  return {
    opts: {
      width: W, height: H, pxRatio: DPR, title: 'Graduate employment rate',
      scales: { x: { time: false }, y: { range: [0, 100] } },
      series: [{}, { label: 'Bench college', stroke: '#1565c0', width: 2 }],
    },
    data: [d.years, d.values],
  };
}

function uplotScatter(d) {
  // uPlot's x must ascend: the points sorted by x (outside the clock), drawn as dots only.
  const idx = Array.from({ length: N }, (_, i) => i).sort((a, b) => d.sx[a] - d.sx[b]);
  const xs = Float64Array.from(idx, (i) => d.sx[i]);
  const ys = Float64Array.from(idx, (i) => d.sy[i]);
  return {
    opts: {
      width: W, height: H, pxRatio: DPR, title: 'Graduate employment rate / Attendance',
      scales: { x: { time: false } },
      series: [{}, { label: 'Units', stroke: '#5f6b7a', fill: '#5f6b7a', paths: () => null, points: { show: true, size: 4, space: 0, fill: '#5f6b7a' } }],
    },
    data: [xs, ys],
  };
}

function echartsTrend(d) {
  const data = new Array(N);
  for (let i = 0; i < N; i++) data[i] = [d.years[i], d.values[i]];
  return {
    animation: false,
    title: { text: 'Graduate employment rate' },
    grid: { top: 48, left: 48, right: 16, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', min: 'dataMin', max: 'dataMax' },
    yAxis: { type: 'value', min: 0, max: 100 },
    // ECharts' own large-line settings: LTTB sampling, no symbols.
    series: [{ type: 'line', data, symbol: 'none', sampling: 'lttb', progressive: 0, lineStyle: { width: 2 } }],
  };
}

/** The same chart without ECharts' large-data options (no sampling, no large mode): every
 *  point drawn. */
function echartsDefaults(option) {
  // Progressive rendering stays off: a flush would draw only its first chunk.
  const series = option.series.map(({ sampling, large, largeThreshold, ...rest }) => rest);
  return { ...option, series };
}

function echartsScatter(d) {
  const data = new Array(N);
  for (let i = 0; i < N; i++) data[i] = [d.sx[i], d.sy[i]];
  return {
    animation: false,
    title: { text: 'Graduate employment rate / Attendance' },
    grid: { top: 48, left: 48, right: 16, bottom: 32 },
    tooltip: {},
    xAxis: { type: 'value', scale: true },
    yAxis: { type: 'value', scale: true },
    // ECharts' own large-scatter mode, drawn in one pass (no progressive frames).
    series: [{ type: 'scatter', data, symbolSize: 4, large: true, largeThreshold: 2000, progressive: 0 }],
  };
}

async function benchOurs(glue, kind, data, host) {
  const canvas = document.createElement('canvas');
  canvas.className = 'ours';
  host.replaceChildren(canvas);
  let chart = null;
  const spec = { kind, lang: 'en', theme: THEME, data };
  const handover = await timeRuns(COLD, () => { const c = new glue.Chart(spec); c.free(); });
  const cold = await timeRuns(COLD, () => {
    chart = new glue.Chart(spec);
    chart.draw(canvas, W, H, DPR);
  }, () => { if (chart) chart.free(); chart = null; });
  const redraw = await timeRuns(REDRAW, (i) => chart.draw(canvas, i % 2 ? W : W2, H, DPR));
  chart.draw(canvas, W, H, DPR);
  const points = chart.pointCount();
  chart.free();
  // Leave a drawn chart on the page for the screenshot.
  const shown = new glue.Chart(spec);
  shown.draw(canvas, W, H, DPR);
  return { cold: cold.median, redraw: redraw.median, handover: handover.median, coldRuns: cold.runs, redrawRuns: redraw.runs, points };
}

async function benchUplot(U, made, host) {
  let u = null;
  const cold = await timeRuns(COLD, async () => {
    u = new U(made.opts, made.data, host);
    await microtask();
  }, () => { if (u) u.destroy(); u = null; });
  const redraw = await timeRuns(REDRAW, async (i) => {
    u.setSize({ width: i % 2 ? W : W2, height: H });
    await microtask();
  });
  u.setSize({ width: W, height: H });
  return { cold: cold.median, redraw: redraw.median, coldRuns: cold.runs, redrawRuns: redraw.runs };
}

async function benchEcharts(ec, option, host) {
  let chart = null;
  const cold = await timeRuns(COLD, () => {
    chart = ec.init(host, null, { renderer: 'canvas', devicePixelRatio: DPR, width: W, height: H });
    chart.setOption(option, true);
    chart.getZr().flush();
  }, () => { if (chart) chart.dispose(); chart = null; });
  const redraw = await timeRuns(REDRAW, (i) => {
    chart.resize({ width: i % 2 ? W : W2, height: H });
    chart.getZr().flush();
  });
  chart.resize({ width: W, height: H });
  chart.getZr().flush();
  return { cold: cold.median, redraw: redraw.median, coldRuns: cold.runs, redrawRuns: redraw.runs };
}

async function benchWidget(api, kind, data, host) {
  let w = null;
  const cold = await timeRuns(Math.min(COLD, 3), async () => {
    w = await api.render(host, { kind, data, lang: 'en', theme: THEME, height: H });
  }, () => { host.replaceChildren(); w = null; });
  const state = w.getAttribute('data-kpi-state');
  const buttons = w.shadowRoot.querySelectorAll('.points button').length;
  const rows = w.shadowRoot.querySelectorAll('table tbody tr').length;
  return { cold: cold.median, coldRuns: cold.runs, state, buttons, rows, points: w._chart?.pointCount() };
}

/** `fn()`, or `{error}` when it throws (the other libraries still run). */
async function attempt(fn) {
  try {
    return await fn();
  } catch (e) {
    return { error: String(e?.message ?? e), detail: e?.detail };
  }
}

async function run() {
  const api = await import('/kpi/kpi-widgets.js');
  const glue = await api.ready();
  const d = makeData();
  const only = q.get('only');
  const want = (lib) => !only || only.split(',').includes(lib);
  const kinds = (q.get('kinds') || 'trend,scatter').split(',');
  const trendIn = oursTrend(d);
  const scatterIn = oursScatter(d);
  const out = { n: N, dpr: DPR, width: W, height: H, trend: {}, scatter: {} };
  if (want('ours')) {
    if (kinds.includes('trend')) out.trend.ours = await attempt(() => benchOurs(glue, 'trend', trendIn, document.getElementById('ours-trend')));
    if (kinds.includes('scatter')) out.scatter.ours = await attempt(() => benchOurs(glue, 'scatter', scatterIn, document.getElementById('ours-scatter')));
  }
  if (want('uplot')) {
    const U = window.uPlot;
    if (kinds.includes('trend')) out.trend.uplot = await attempt(() => benchUplot(U, uplotTrend(d), document.getElementById('uplot-trend')));
    if (kinds.includes('scatter')) out.scatter.uplot = await attempt(() => benchUplot(U, uplotScatter(d), document.getElementById('uplot-scatter')));
  }
  if (want('echarts')) {
    const ec = window.echarts;
    if (kinds.includes('trend')) out.trend.echarts = await attempt(() => benchEcharts(ec, echartsTrend(d), document.getElementById('echarts-trend')));
    if (kinds.includes('scatter')) out.scatter.echarts = await attempt(() => benchEcharts(ec, echartsScatter(d), document.getElementById('echarts-scatter')));
    if (kinds.includes('trend')) out.trend.echartsDefaults = await attempt(() => benchEcharts(ec, echartsDefaults(echartsTrend(d)), document.getElementById('echarts-trend')));
    if (kinds.includes('scatter')) out.scatter.echartsDefaults = await attempt(() => benchEcharts(ec, echartsDefaults(echartsScatter(d)), document.getElementById('echarts-scatter')));
  }
  if (want('widget')) {
    if (kinds.includes('trend')) out.trend.widget = await attempt(() => benchWidget(api, 'trend', trendIn, document.getElementById('widget-trend')));
    if (kinds.includes('scatter')) out.scatter.widget = await attempt(() => benchWidget(api, 'scatter', scatterIn, document.getElementById('widget-scatter')));
  }
  return out;
}

window.__drawBench = run().catch((e) => ({ error: String(e?.stack ?? e) }));

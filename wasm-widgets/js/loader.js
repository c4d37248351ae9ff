// loader.js: the modules behind the widgets. There are two chart WebAssembly modules with
// the same API: the core one draws the kinds most portal pages show (CORE_KINDS), the full
// one every kind. A page whose widgets all have core kinds loads the core module only; the
// full module is loaded (once) when a widget of another kind is on the page, and from then
// on every chart is drawn with it. Each module is compiled once per page; a trap (a bug
// that panicked in Rust) retires only its instance: the widget that hit it shows a message,
// and the others are redrawn on a fresh instance.
// The dataset client (kpi-datasets.js: worker, files, progress) is fetched on first use.

import { KpiError, jsError } from './errors.js';

/** The kinds the core chart module draws (`ChartKind::CORE` of kpi-chart), and those only
 *  the full one draws (the other kinds of `ChartKind::ALL`); a test in
 *  wasm-widgets/src/render.rs keeps these lists equal to the Rust ones. */
export const CORE_KINDS = new Set(['kpi-card', 'trend', 'compare', 'distribution', 'risk-gauge']);
export const FULL_ONLY_KINDS = new Set(['scatter', 'heatmap', 'risk-breakdown', 'radar', 'gaps', 'cohort-flow', 'table']);

// The URLs are written out, so that the build's check of shipped files sees them.
const chartModule = (glueUrl, wasmUrl) => ({
  glueUrl,
  wasmUrl,
  compiled: null, // Promise<WebAssembly.Module>
  current: null, // Promise<{glue, epoch}>
  epoch: 0, // of its live instance
  instances: 0,
});
const DATASETS_URL = new URL('./kpi-datasets.js', import.meta.url).href;
const BUNDLE_URL = new URL('./kpi-bundle.js', import.meta.url).href;
const CORE = chartModule(new URL('./kpi_widgets_core.js', import.meta.url).href, new URL('./kpi_widgets_core_bg.wasm', import.meta.url));
const FULL = chartModule(new URL('./kpi_widgets.js', import.meta.url).href, new URL('./kpi_widgets_bg.wasm', import.meta.url));
// One counter for both modules: an epoch names one instance of one module.
let epoch = 0;

/**
 * The connected widgets (added and removed by the element). After a trap, those drawn on
 * the retired instance are rebuilt: `w._epoch`, `w._trapped`, `w._rebuild()`.
 */
export const widgets = new Set();

const needsFull = (kind) => FULL_ONLY_KINDS.has(String(kind ?? '').trim());

/**
 * The module that draws `kind`: the full one for a kind only it draws, when another
 * connected widget has such a kind, or once it is loading anyway; otherwise the core one
 * (which reports an unknown kind with the same error as the full one). No kind: the full one.
 */
function moduleFor(kind) {
  if (kind === undefined || FULL.compiled || needsFull(kind)) return FULL;
  for (const w of widgets) if (needsFull(w.getAttribute('kind'))) return FULL;
  return CORE;
}

function compile(m) {
  if (!m.compiled) {
    m.compiled = (async () => {
      if (typeof WebAssembly !== 'object') throw jsError('unsupported');
      const response = await fetch(m.wasmUrl);
      if (!response.ok) throw jsError('network', `${m.wasmUrl}: HTTP ${response.status}`);
      if (WebAssembly.compileStreaming && response.headers.get('content-type')?.startsWith('application/wasm')) {
        return WebAssembly.compileStreaming(response);
      }
      return WebAssembly.compile(await response.arrayBuffer());
    })();
    m.compiled.catch(() => { m.compiled = null; });
  }
  return m.compiled;
}

/** The live instance `{glue, epoch}` of the module that draws `kind`; a fresh one after a trap. */
export function instance(kind) {
  const m = moduleFor(kind);
  if (!m.current) {
    const e = ++epoch;
    const n = ++m.instances;
    m.epoch = e;
    const p = (async () => {
      const module = await compile(m);
      // A second instance needs a second copy of the glue module (it keeps its instance
      // in module state): the same file under another URL.
      const glue = await import(n === 1 ? m.glueUrl : `${m.glueUrl}?instance=${n}`);
      await glue.default({ module_or_path: module });
      warmUp(glue);
      return { glue, epoch: e };
    })();
    m.current = p;
    p.catch(() => { if (m.current === p) m.current = null; });
  }
  return m.current;
}
/**
 * Draws two tiny charts on a detached canvas while the module becomes ready: the engine
 * compiles WebAssembly functions on their first call and parses its strings once, so the
 * page's first real widget does not pay for that.
 */
function warmUp(glue) {
  if (typeof document === 'undefined') return;
  try {
    const canvas = document.createElement('canvas');
    const points = [{ year: 2020, value: 50 }, { year: 2021, value: 60 }];
    for (const spec of [
      { kind: 'trend', data: { points, peers: [{ year: 2020, median: 55, q1: 50, q3: 60, n: 3 }] } },
      { kind: 'compare', data: { bars: [{ id: 'a', name: 'a', value: 1, highlight: true }, { id: 'b', name: 'b', value: 2 }] } },
    ]) {
      const chart = new glue.Chart(spec);
      chart.draw(canvas, 160, 120, 1);
      chart.summary();
      chart.table();
      chart.free();
    }
  } catch (e) {
    // Not fatal: the first widget is merely slower. A trap here is reported by that widget.
    console.warn('kpi-widgets: warm-up failed', e);
  }
}

/** Runs `fn(glue)`; a trap retires the instance and redraws the other widgets. */
export function guard(inst, fn) {
  try {
    return fn(inst.glue);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      retire(inst);
      throw jsError('internal', `WebAssembly trap: ${e.message}`, e);
    }
    throw KpiError.from(e);
  }
}

function retire(inst) {
  const m = [CORE, FULL].find((c) => c.current && c.epoch === inst.epoch);
  if (!m) return;
  console.error('kpi-widgets: the WebAssembly instance trapped; starting a fresh one');
  m.current = null;
  queueMicrotask(() => {
    for (const w of widgets) if (w._epoch === inst.epoch && !w._trapped) w._rebuild();
  });
}

/** The WebAssembly bindings (`Chart`, `kinds()` …), once ready: of the module that draws
 *  `kind` (see `moduleFor`), or of the full module when no kind is given. */
export async function ready(kind) {
  return (await instance(kind)).glue;
}

let datasetsModule = null;

/** The dataset client module (kpi-datasets.js), imported on first use. */
export function datasetsApi() {
  if (!datasetsModule) {
    datasetsModule = import(DATASETS_URL);
    datasetsModule.catch(() => { datasetsModule = null; });
  }
  return datasetsModule;
}

let bundleModule = null;

/** Whether a `src` names a published bundle (`kpi publish`): one URL ending in manifest.json. */
export function isBundleSrc(src) {
  const urls = String(src ?? '').trim().split(/\s+/).filter(Boolean);
  return urls.length === 1 && /(^|\/)manifest\.json([?#].*)?$/.test(urls[0]);
}

/** The published-bundle reader (kpi-bundle.js), imported on first use: pages drawing from a
 *  bundle never download the dataset engine. */
export function bundleApi() {
  if (!bundleModule) {
    bundleModule = import(BUNDLE_URL);
    bundleModule.catch(() => { bundleModule = null; });
  }
  return bundleModule;
}

/** Frees every cached dataset and lets the instance go (`dispose()` of everything). */
export function release() {
  datasetsModule?.then((m) => m.disposeAll(), () => {});
  bundleModule?.then((m) => m.disposeAll(), () => {});
  CORE.current = null;
  FULL.current = null;
}

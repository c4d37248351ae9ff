// loader.js: the modules behind the widgets. The chart WebAssembly module is compiled
// once per page; a trap (a bug that panicked in Rust) retires only its instance: the
// widget that hit it shows a message, and the others are redrawn on a fresh instance.
// The dataset client (kpi-datasets.js: worker, files, progress) is fetched on first use.

import { KpiError, jsError } from './errors.js';

const GLUE_URL = new URL('./kpi_widgets.js', import.meta.url).href;
const WASM_URL = new URL('./kpi_widgets_bg.wasm', import.meta.url);
const DATASETS_URL = new URL('./kpi-datasets.js', import.meta.url).href;
const BUNDLE_URL = new URL('./kpi-bundle.js', import.meta.url).href;

let compiled = null; // Promise<WebAssembly.Module>
let current = null; // Promise<{glue, epoch}>
let epoch = 0;

/**
 * The connected widgets (added and removed by the element). After a trap, those drawn on
 * the retired instance are rebuilt: `w._epoch`, `w._trapped`, `w._rebuild()`.
 */
export const widgets = new Set();

function compile() {
  if (!compiled) {
    compiled = (async () => {
      if (typeof WebAssembly !== 'object') throw jsError('unsupported');
      const response = await fetch(WASM_URL);
      if (!response.ok) throw jsError('network', `${WASM_URL}: HTTP ${response.status}`);
      if (WebAssembly.compileStreaming && response.headers.get('content-type')?.startsWith('application/wasm')) {
        return WebAssembly.compileStreaming(response);
      }
      return WebAssembly.compile(await response.arrayBuffer());
    })();
    compiled.catch(() => { compiled = null; });
  }
  return compiled;
}

/** The live instance `{glue, epoch}`; a fresh one after a trap. */
export function instance() {
  if (!current) {
    const e = ++epoch;
    const p = (async () => {
      const module = await compile();
      // A second instance needs a second copy of the glue module (it keeps its instance
      // in module state): the same file under another URL.
      const glue = await import(e === 1 ? GLUE_URL : `${GLUE_URL}?instance=${e}`);
      await glue.default({ module_or_path: module });
      warmUp(glue);
      return { glue, epoch: e };
    })();
    current = p;
    p.catch(() => { if (current === p) current = null; });
  }
  return current;
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
  if (inst.epoch !== epoch) return;
  console.error('kpi-widgets: the WebAssembly instance trapped; starting a fresh one');
  current = null;
  queueMicrotask(() => {
    for (const w of widgets) if (w._epoch === inst.epoch && !w._trapped) w._rebuild();
  });
}

/** The WebAssembly bindings (`Chart`, `Dataset`, `kinds()` …), once ready. */
export async function ready() {
  return (await instance()).glue;
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
  current = null;
}

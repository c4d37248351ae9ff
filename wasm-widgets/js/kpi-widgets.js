// kpi-widgets.js: the public entry point, the URL portals load
// (`<script type="module" src="/kpi/kpi-widgets.js">`): defines <kpi-widget> and exports
// the JavaScript API (KpiWidget, KpiError, ready, load, render, dispose).
//
// The work is done by one module per concept, all in this folder:
//   messages.js  every text people read (kk, ru, en, ky), error messages keyed by code
//   errors.js    KpiError
//   loader.js    the WebAssembly chart module: loading, trap recovery; the dataset client
//   element.js   the <kpi-widget> custom element
//   menu.js      its export menu and file downloads
//   shadow.js    its shadow DOM: the shared stylesheet, el() (text only, never HTML)
//   kpi-datasets.js, kpi-worker.js, kpi-engine-host.js  datasets, fetched on first use
//   kpi-bundle.js  published bundles (kpi publish), fetched on first use; no engine
//   position-sentence.js  the compare chart's position sentence from a bundle's numbers
// The widgets work under `script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`.

import { KpiWidget } from './element.js';
import { jsError } from './errors.js';
import { bundleApi, datasetsApi, isBundleSrc, release, widgets } from './loader.js';
// Imported here too (they are the element's), so that the browser fetches every module
// of the chart path right after this file instead of discovering them level by level.
import './menu.js';
import './messages.js';
import './shadow.js';

export { KpiError } from './errors.js';
export { ready } from './loader.js';
export { KpiWidget };

/**
 * Loads a dataset from a URL, a `File`/`Blob`, bytes, `{name, bytes}`, or an array of
 * these (files that make one dataset); options `{onProgress({phase, fraction})}`. The
 * handle answers `info()`, `ranking()`, `chart()` and can be given to widgets.
 */
export async function load(source, options = {}) {
  // A published bundle's manifest: aggregates only, read as charts need them.
  if ((typeof source === 'string' || source instanceof URL) && isBundleSrc(String(source))) {
    return (await bundleApi()).loadBundle(String(source));
  }
  return (await datasetsApi()).load(source, options);
}

const isDataset = (d) => !!d && typeof d === 'object' && typeof d._handle === 'function' && typeof d.chart === 'function';

/**
 * Renders `spec` (`{kind, data | dataset | src, org, programme, indicator, indicators, year,
 * peers, lang, theme, height, summary}`) into `element`: a `<kpi-widget>` itself, or a
 * container that receives one. Resolves with the widget once drawn (or showing an error).
 */
export async function render(element, spec) {
  if (!(element instanceof Element)) throw jsError('bad-spec', 'render: expected an element');
  let widget = element instanceof KpiWidget ? element : element.querySelector(':scope > kpi-widget');
  if (!widget) {
    widget = document.createElement('kpi-widget');
    element.append(widget);
  }
  widget.spec = spec;
  await widget.updateComplete;
  return widget;
}

/**
 * Disposes one widget (or dataset), or with no argument everything: every widget's chart,
 * every cached dataset and the module instance.
 */
export function dispose(target) {
  if (target instanceof KpiWidget || isDataset(target)) {
    target.dispose();
    return;
  }
  for (const w of [...widgets]) w.dispose();
  release();
}

if (!customElements.get('kpi-widget')) customElements.define('kpi-widget', KpiWidget);

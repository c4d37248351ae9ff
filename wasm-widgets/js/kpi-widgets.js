// kpi-widgets.js: the <kpi-widget> element and the JavaScript API (load, render, dispose).
//
// One WebAssembly module per page, compiled once. A trap (a bug that panicked in Rust)
// poisons only its instance: the widget that hit it shows a message, and the others are
// redrawn on a fresh instance. Nothing from the data is ever inserted as HTML (text only),
// and styles come from a constructed stylesheet, so the widgets work under
// `script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`.

const GLUE_URL = new URL('./kpi_widgets.js', import.meta.url).href;
const WASM_URL = new URL('./kpi_widgets_bg.wasm', import.meta.url);

/** Kinds whose marks select a unit on click (kpi-select). */
const SELECT_KINDS = new Set(['compare', 'scatter', 'heatmap']);
const ATTRIBUTES = ['kind', 'src', 'org', 'programme', 'indicator', 'indicators', 'year', 'peers',
  'top', 'bottom', 'lang', 'theme', 'height', 'data'];
const CSS_VARS = ['accent', 'font', 'font-size', 'bg', 'surface', 'text', 'muted', 'grid', 'axis',
  'peer', 'median', 'band', 'forecast', 'better', 'worse', 'neutral', 'risk-low', 'risk-medium',
  'risk-high', 'missing', 'heat-worse', 'heat-mid', 'heat-better', 'focus'].map((n) => `--kpi-${n}`);
const DEFAULT_HEIGHT = 320;
const LANGS = ['kk', 'ru', 'en'];

// Messages of errors raised on the JavaScript side (the Rust side sends its own).
const MESSAGES = {
  internal: {
    kk: 'Виджеттің ішкі қатесі. Беттің қалған бөлігі жұмыс істейді.',
    ru: 'Внутренняя ошибка виджета. Остальная страница работает.',
    en: 'Internal widget error. The rest of the page keeps working.',
  },
  network: {
    kk: 'Деректер файлын жүктеу мүмкін болмады.',
    ru: 'Не удалось загрузить файл данных.',
    en: 'The data file could not be downloaded.',
  },
  'no-data': {
    kk: 'Деректер берілмеген: src немесе data атрибутын көрсетіңіз.',
    ru: 'Данные не заданы: укажите атрибут src или data.',
    en: 'No data: set the src or data attribute.',
  },
  'bad-spec': {
    kk: 'Диаграмма сипаттамасы қате.',
    ru: 'Неверное описание диаграммы.',
    en: 'The chart description is not valid.',
  },
  unsupported: {
    kk: 'Бұл браузер WebAssembly қолдамайды.',
    ru: 'Этот браузер не поддерживает WebAssembly.',
    en: 'This browser does not support WebAssembly.',
  },
};
const UI = {
  export: { kk: 'Экспорт', ru: 'Экспорт', en: 'Export' },
  png: { kk: 'PNG сурет (2×)', ru: 'Изображение PNG (2×)', en: 'PNG image (2×)' },
  svg: { kk: 'SVG сурет', ru: 'Изображение SVG', en: 'SVG image' },
  csv: { kk: 'CSV деректері', ru: 'Данные CSV', en: 'CSV data' },
  loading: { kk: 'Жүктелуде…', ru: 'Загрузка…', en: 'Loading…' },
  table: { kk: 'Диаграмма деректері', ru: 'Данные диаграммы', en: 'Chart data' },
};

/** An error with a stable code and a message in kk, ru and en. */
export class KpiError extends Error {
  constructor(code, messages, detail, cause) {
    super(`${messages?.en ?? code}${detail ? ` (${detail})` : ''}`, cause ? { cause } : undefined);
    this.name = 'KpiError';
    this.code = code;
    this.messages = messages ?? MESSAGES.internal;
    this.detail = detail ?? '';
  }

  /** The message in `lang`. */
  localized(lang) {
    return this.messages[lang] ?? this.messages.en ?? this.message;
  }

  static from(e) {
    if (e instanceof KpiError) return e;
    if (e && e.name === 'KpiError' && e.messages) return new KpiError(e.code, e.messages, e.detail);
    return new KpiError('internal', MESSAGES.internal, String(e?.message ?? e), e);
  }
}

const jsError = (code, detail, cause) => new KpiError(code, MESSAGES[code] ?? MESSAGES.internal, detail, cause);

// ---- the module ------------------------------------------------------------------------

let compiled = null; // Promise<WebAssembly.Module>
let current = null; // Promise<{glue, epoch}>
let epoch = 0;
const widgets = new Set();

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

/** The live instance; a fresh one after a trap. */
function instance() {
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
function guard(inst, fn) {
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

// ---- datasets --------------------------------------------------------------------------

// The dataset client (worker, files, progress) is its own module, fetched on first use.
const DATASETS_URL = new URL('./kpi-datasets.js', import.meta.url).href;
let datasetsModule = null;
function datasetsApi() {
  if (!datasetsModule) {
    datasetsModule = import(DATASETS_URL);
    datasetsModule.catch(() => { datasetsModule = null; });
  }
  return datasetsModule;
}

/**
 * Loads a dataset from a URL, a `File`/`Blob`, bytes, `{name, bytes}`, or an array of
 * these (files that make one dataset); options `{onProgress({phase, fraction})}`. The
 * handle answers `info()`, `ranking()`, `chart()` and can be given to widgets.
 */
export async function load(source, options = {}) {
  return (await datasetsApi()).load(source, options);
}

const isDataset = (d) => !!d && typeof d === 'object' && typeof d._handle === 'function' && typeof d.chart === 'function';

// ---- styles ----------------------------------------------------------------------------

const CSS = `
:host { display: block; position: relative; font-family: var(--kpi-font, system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif);
  --_surface: var(--kpi-surface, #ffffff); --_text: var(--kpi-text, #1b1c1e); --_border: var(--kpi-grid, #b9bcc2);
  --_focus: var(--kpi-focus, #0b57d0); --_error: var(--kpi-worse, #a4400a); color: var(--_text); }
:host([theme="dark"]) { --_surface: var(--kpi-surface, #24272c); --_text: var(--kpi-text, #eceef1); --_border: var(--kpi-grid, #5a5f68);
  --_focus: var(--kpi-focus, #8ab4f8); --_error: var(--kpi-worse, #ffb37a); }
:host([theme="high-contrast"]) { --_surface: var(--kpi-surface, #000000); --_text: var(--kpi-text, #ffffff); --_border: var(--kpi-grid, #ffffff);
  --_focus: var(--kpi-focus, #ffff00); --_error: var(--kpi-worse, #ffb000); }
:host([hidden]) { display: none; }
[hidden] { display: none !important; }
.frame { position: relative; width: 100%; overflow: hidden; }
canvas { display: block; width: 100%; height: 100%; touch-action: manipulation; }
canvas:focus { outline: none; }
canvas:focus-visible { outline: 2px solid var(--_focus); outline-offset: -2px; }
.tooltip { position: absolute; left: 0; top: 0; z-index: 2; pointer-events: none; max-width: min(300px, 90%);
  padding: 6px 8px; background: var(--_surface); color: var(--_text); border: 1px solid var(--_border); border-radius: 4px;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2); font-size: 12px; line-height: 1.4; overflow-wrap: anywhere; }
.tooltip div:first-child { font-weight: 600; }
.ring { position: absolute; left: 0; top: 0; z-index: 1; pointer-events: none; border: 2px solid var(--_focus); border-radius: 3px; }
.toolbar { position: absolute; right: 4px; bottom: 4px; z-index: 3; opacity: 0; }
:host(:hover) .toolbar, .toolbar:focus-within, .toolbar.open { opacity: 1; }
.toolbar button { font: inherit; font-size: 12px; color: var(--_text); background: var(--_surface); border: 1px solid var(--_border);
  border-radius: 4px; padding: 3px 8px; cursor: pointer; }
.toolbar button:focus-visible { outline: 2px solid var(--_focus); outline-offset: 1px; }
.menu { position: absolute; right: 0; bottom: calc(100% + 2px); display: flex; flex-direction: column; gap: 2px; min-width: 150px; }
.menu button { text-align: start; }
.error { box-sizing: border-box; padding: 12px 14px; border: 1px solid var(--_error); border-radius: 4px; color: var(--_text);
  background: var(--_surface); font-size: 14px; line-height: 1.4; }
.error::before { content: "⚠ "; color: var(--_error); }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
`;

let sheet = null;
function styleSheet() {
  if (!sheet && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

// ---- helpers ---------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else if (k === 'hidden') node.hidden = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function list(value) {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileName(title, ext) {
  const base = (title || 'chart').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().slice(0, 80) || 'chart';
  return `${base}.${ext}`;
}

// ---- the element -----------------------------------------------------------------------

/** `<kpi-widget>`: a chart described by its attributes. */
export class KpiWidget extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  constructor() {
    super();
    this._chart = null;
    this._epoch = 0;
    this._token = 0;
    this._data = undefined;
    this._source = null;
    this._peers = undefined;
    this._summary = undefined;
    this._focus = undefined;
    this._hover = undefined;
    this._trapped = false;
    this._size = null;
    this._pendingRebuild = false;
    this._pendingDraw = 0;
    this.lastDrawMs = NaN;
    const root = this.attachShadow({ mode: 'open' });
    const s = styleSheet();
    if (s) root.adoptedStyleSheets = [s];
    this._canvas = el('canvas', { role: 'img', tabindex: '0', part: 'canvas' });
    this._tooltip = el('div', { class: 'tooltip', role: 'tooltip', part: 'tooltip', hidden: true });
    this._ring = el('div', { class: 'ring', hidden: true });
    this._menu = el('div', { class: 'menu', role: 'menu', hidden: true });
    this._exportButton = el('button', { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false' });
    this._toolbar = el('div', { class: 'toolbar', part: 'toolbar' }, this._menu, this._exportButton);
    this._frame = el('div', { class: 'frame', part: 'frame' }, this._canvas, this._ring, this._tooltip, this._toolbar);
    this._error = el('div', { class: 'error', role: 'alert', part: 'error', hidden: true });
    // A table cannot be shrunk below its content: the wrapper is what is visually hidden.
    this._table = el('table');
    root.append(this._frame, this._error, el('div', { class: 'sr-only' }, this._table));
    this._wire();
  }

  // -- properties ------------------------------------------------------------------------

  /** Chart input given directly (the kind's data object); takes precedence over `src`. */
  get data() { return this._data; }
  set data(value) { this._data = value ?? undefined; this._scheduleRebuild(); }

  /** A dataset handle from `load()`; takes precedence over `src`. */
  get source() { return this._source; }
  set source(value) { this._source = value ?? null; this._scheduleRebuild(); }

  /** The summary sentence to use for `aria-label` (otherwise the chart makes one). */
  get summary() { return this._summary; }
  set summary(value) { this._summary = value ?? undefined; this._scheduleRebuild(); }

  /** The whole specification at once (what `render()` takes). */
  set spec(spec) {
    const peers = spec?.peers;
    this._peers = peers && typeof peers === 'object' && !Array.isArray(peers) ? peers : undefined;
    for (const name of ATTRIBUTES) {
      if (name === 'data' || (name === 'peers' && this._peers)) continue;
      const v = spec?.[name];
      if (v === undefined || v === null || v === '') this.removeAttribute(name);
      else this.setAttribute(name, Array.isArray(v) ? v.join(',') : String(v));
    }
    this._data = spec?.data ?? undefined;
    this._source = spec?.dataset ?? null;
    this._summary = spec?.summary ?? undefined;
    this._scheduleRebuild();
  }

  /** The page language of the widget: `lang` attribute, else the nearest `[lang]`. */
  get language() {
    const raw = (this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang')
      || document.documentElement.lang || 'en').toLowerCase().split(/[-_]/)[0];
    return LANGS.includes(raw) ? raw : 'en';
  }

  /** Resolves when the current specification has been drawn (or has failed). */
  get updateComplete() {
    return this._done ?? Promise.resolve();
  }

  // -- lifecycle -------------------------------------------------------------------------

  connectedCallback() {
    widgets.add(this);
    this._resize = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box && box.width > 0) this._scheduleDraw();
    });
    this._resize.observe(this);
    this._watchDpr();
    this._labels();
    this._scheduleRebuild();
  }

  disconnectedCallback() {
    widgets.delete(this);
    this._resize?.disconnect();
    this._dprQuery?.removeEventListener('change', this._onDpr);
    this._free();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    if (name === 'data') {
      try {
        this._data = newValue ? JSON.parse(newValue) : undefined;
        this._dataError = null;
      } catch (e) {
        this._data = undefined;
        this._dataError = jsError('bad-spec', `data attribute: ${e.message}`);
      }
    }
    if (name === 'lang') this._labels();
    if (name === 'height') { this._scheduleDraw(); if (!this._chart) this._scheduleRebuild(); return; }
    this._scheduleRebuild();
  }

  /** Frees the chart and stops observing; the element may be connected again later. */
  dispose() {
    this.disconnectedCallback();
  }

  // -- building and drawing --------------------------------------------------------------

  _free() {
    if (this._chart) {
      try { this._chart.free(); } catch { /* instance gone */ }
    }
    this._chart = null;
  }

  _scheduleRebuild() {
    if (!this.isConnected) return;
    if (!this._resolveDone) this._done = new Promise((resolve) => { this._resolveDone = resolve; });
    if (this._pendingRebuild) return;
    this._pendingRebuild = true;
    queueMicrotask(() => {
      this._pendingRebuild = false;
      this._rebuild();
    });
  }

  _scheduleDraw() {
    if (this._pendingDraw) return;
    this._pendingDraw = requestAnimationFrame(() => {
      this._pendingDraw = 0;
      if (this._chart) this._draw();
    });
  }

  _watchDpr() {
    this._dprQuery?.removeEventListener('change', this._onDpr);
    this._onDpr = () => { this._watchDpr(); this._scheduleDraw(); };
    this._dprQuery = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    this._dprQuery.addEventListener('change', this._onDpr);
  }

  _cssVars() {
    const style = getComputedStyle(this);
    const vars = {};
    for (const name of CSS_VARS) {
      const v = style.getPropertyValue(name).trim();
      if (v) vars[name] = v;
    }
    return vars;
  }

  async _rebuild() {
    if (!this.isConnected) return;
    const token = ++this._token;
    const lang = this.language;
    const finish = () => {
      if (token !== this._token || !this._resolveDone) return;
      const resolve = this._resolveDone;
      this._resolveDone = null;
      resolve();
    };
    this.setAttribute('data-kpi-state', 'loading');
    try {
      if (this._dataError) throw this._dataError;
      const kind = (this.getAttribute('kind') || '').trim();
      const common = { kind, lang, theme: this.getAttribute('theme') || 'light', vars: this._cssVars(), summary: this._summary };
      let inst;
      let make;
      if (this._data !== undefined) {
        inst = await instance();
        make = (spec) => guard(inst, (g) => new g.Chart({ ...spec, data: this._data }));
      } else if (this._source || this.getAttribute('src')) {
        const ds = this._source || (await datasetsApi()).datasetFor(this.getAttribute('src'));
        const year = this.getAttribute('year');
        const count = (name) => {
          const v = Number(this.getAttribute(name));
          return Number.isInteger(v) && v > 0 ? v : undefined;
        };
        // `peers`: a word list as in the attribute (`region,ownership`), or an explicit
        // group object given through `spec`.
        const peers = this._peers ?? (list(this.getAttribute('peers')).join('|') || undefined);
        const request = {
          kind,
          lang,
          org: this.getAttribute('org') || undefined,
          programme: this.getAttribute('programme') || undefined,
          indicator: this.getAttribute('indicator') || undefined,
          indicators: list(this.getAttribute('indicators')),
          year: year && Number.isFinite(Number(year)) ? Number(year) : undefined,
          peers,
          top: count('top'),
          bottom: count('bottom'),
        };
        if (request.indicators.length === 0) delete request.indicators;
        const input = await ds.chart(request);
        if (token !== this._token) return;
        inst = await instance();
        make = (spec) => guard(inst, (g) => new g.Chart({ ...spec, data: input }));
      } else {
        throw jsError('no-data');
      }
      if (token !== this._token) return;
      let chart;
      try {
        chart = make(common);
      } catch (e) {
        // A portal's unusable CSS custom property must not hide the chart: warn, use the theme.
        if (e.code !== 'bad-argument' || !/CSS property/.test(e.detail)) throw e;
        console.warn(`kpi-widget: ${e.detail}; the theme's colour is used instead`);
        chart = make({ ...common, vars: {} });
      }
      this._free();
      this._chart = chart;
      this._epoch = inst.epoch;
      this._trapped = false;
      this._focus = undefined;
      this._hideTooltip();
      this._error.hidden = true;
      this._frame.hidden = false;
      this._draw(true);
      this.setAttribute('data-kpi-state', 'drawn');
    } catch (e) {
      if (token === this._token) this._showError(e, lang);
    } finally {
      finish();
    }
  }

  _height() {
    const h = Number.parseFloat(this.getAttribute('height'));
    if (Number.isFinite(h) && h >= 40) return Math.min(h, 4000);
    const v = Number.parseFloat(getComputedStyle(this).getPropertyValue('--kpi-height'));
    return Number.isFinite(v) && v >= 40 ? Math.min(v, 4000) : DEFAULT_HEIGHT;
  }

  /** Lays out and draws at the current size; returns the time taken in milliseconds. */
  _draw(contentChanged = false) {
    const chart = this._chart;
    if (!chart) return NaN;
    const width = Math.max(1, Math.floor(this.clientWidth || this.getBoundingClientRect().width || 0));
    if (width < 2) return NaN; // not laid out yet: the ResizeObserver calls again
    const height = this._height();
    const dpr = Math.min(Math.max(window.devicePixelRatio || 1, 0.25), 8);
    this._frame.style.height = `${height}px`;
    const t0 = performance.now();
    try {
      guard({ glue: null, epoch: this._epoch }, () => chart.draw(this._canvas, width, height, dpr));
    } catch (e) {
      if (e.code === 'internal') this._trapped = true;
      this._showError(e, this.language);
      return NaN;
    }
    this.lastDrawMs = performance.now() - t0;
    this._size = { width, height };
    try {
      this._canvas.setAttribute('aria-label', chart.summary());
      if (contentChanged || this._tableStale) this._fillTable(chart.table());
      this._tableStale = false;
    } catch (e) {
      console.warn('kpi-widget: summary or table unavailable', e);
    }
    if (this._focus !== undefined) this._showPoint(this._focus, true);
    this.dispatchEvent(new CustomEvent('kpi-render', { detail: { kind: chart.kind, ms: this.lastDrawMs } }));
    return this.lastDrawMs;
  }

  /** Draws again at the current size (for benchmarks and after style changes). */
  redraw() {
    return this._draw();
  }

  _showError(e, lang) {
    const err = KpiError.from(e);
    if (err.code === 'internal') {
      this._trapped = true;
      console.error('kpi-widget:', err.message, err.cause ?? '');
    } else {
      console.warn('kpi-widget:', err.message);
    }
    this._free();
    this._frame.hidden = true;
    this._error.hidden = false;
    this._error.textContent = err.localized(lang);
    this._error.dataset.code = err.code;
    this._table.replaceChildren();
    this.setAttribute('data-kpi-state', 'error');
    this.dispatchEvent(new CustomEvent('kpi-error', { detail: { code: err.code, message: err.localized(lang), detail: err.detail } }));
  }

  _fillTable(t) {
    const head = el('tr', {}, ...t.columns.map((c) => el('th', { scope: 'col', text: c })));
    const body = t.rows.map((r) => el('tr', {}, ...r.map((c) => el('td', { text: c }))));
    this._table.replaceChildren(
      el('caption', { text: t.caption || UI.table[this.language] }),
      el('thead', {}, head),
      el('tbody', {}, ...body),
    );
  }

  _labels() {
    const lang = this.language;
    this._exportButton.textContent = `⤓ ${UI.export[lang]}`;
    this._menu.replaceChildren(...['png', 'svg', 'csv'].map((f) => {
      const b = el('button', { type: 'button', role: 'menuitem', text: UI[f][lang] });
      b.addEventListener('click', () => { this._closeMenu(); this.download(f); });
      return b;
    }));
  }

  _closeMenu() {
    this._menu.hidden = true;
    this._toolbar.classList.remove('open');
    this._exportButton.setAttribute('aria-expanded', 'false');
  }

  // -- interaction -------------------------------------------------------------------------

  _wire() {
    const c = this._canvas;
    const pos = (ev) => {
      const r = c.getBoundingClientRect();
      return [ev.clientX - r.left, ev.clientY - r.top];
    };
    const pick = (ev) => {
      if (!this._chart) return undefined;
      try { return this._chart.hitTest(...pos(ev)); } catch { return undefined; }
    };
    let frame = 0;
    c.addEventListener('pointermove', (ev) => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const i = pick(ev);
        if (i === undefined) this._hideTooltip();
        else if (i !== this._hover) this._showPoint(i, false);
        this._hover = i;
        c.style.cursor = i !== undefined && this._point(i)?.selectable ? 'pointer' : '';
      });
    });
    c.addEventListener('pointerleave', () => {
      // A move still waiting for its frame must not bring the tooltip back.
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      this._hover = undefined;
      if (this._focus === undefined) this._hideTooltip();
    });
    c.addEventListener('click', (ev) => {
      const i = pick(ev);
      if (i !== undefined) this._select(i);
    });
    c.addEventListener('keydown', (ev) => {
      if (!this._chart) return;
      if (ev.key === 'Enter' || ev.key === ' ') {
        if (this._focus !== undefined) { this._select(this._focus); ev.preventDefault(); }
        return;
      }
      if (ev.key === 'Escape') { this._focus = undefined; this._hideTooltip(); return; }
      let next;
      try { next = this._chart.navigate(this._focus, ev.key); } catch { return; }
      if (next === undefined) return;
      ev.preventDefault();
      this._focus = next;
      this._showPoint(next, true);
    });
    c.addEventListener('blur', () => { this._ring.hidden = true; this._tooltip.hidden = true; });
    this._exportButton.addEventListener('click', () => {
      const open = this._menu.hidden;
      this._menu.hidden = !open;
      this._toolbar.classList.toggle('open', open);
      this._exportButton.setAttribute('aria-expanded', String(open));
      if (open) this._menu.querySelector('button')?.focus();
    });
    this._toolbar.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { this._closeMenu(); this._exportButton.focus(); } });
    this._toolbar.addEventListener('focusout', (ev) => { if (!this._toolbar.contains(ev.relatedTarget)) this._closeMenu(); });
  }

  _point(i) {
    try { return this._chart?.point(i); } catch { return undefined; }
  }

  _select(i) {
    const p = this._point(i);
    const kind = this._chart?.kind;
    if (!p || !p.selectable || !SELECT_KINDS.has(kind) || (!p.org && !p.programme)) return;
    this.dispatchEvent(new CustomEvent('kpi-select', {
      bubbles: true,
      composed: true,
      detail: { org: p.org ?? null, programme: p.programme ?? null, kind, label: p.label },
    }));
  }

  _hideTooltip() {
    this._tooltip.hidden = true;
    this._ring.hidden = true;
  }

  /** Shows the tooltip of point `i` (a DOM overlay: the chart is not redrawn). */
  _showPoint(i, focusRing) {
    const p = this._point(i);
    if (!p) { this._hideTooltip(); return; }
    this._tooltip.replaceChildren(...p.tooltip.map((line) => el('div', { text: line })));
    this._tooltip.hidden = false;
    const fw = this._frame.clientWidth;
    const fh = this._frame.clientHeight;
    const tw = this._tooltip.offsetWidth;
    const th = this._tooltip.offsetHeight;
    let x = p.anchor.x + 12;
    let y = p.anchor.y - th - 10;
    if (x + tw > fw - 4) x = p.anchor.x - tw - 12;
    if (y < 4) y = p.anchor.y + 14;
    x = Math.max(4, Math.min(x, fw - tw - 4));
    y = Math.max(4, Math.min(y, fh - th - 4));
    this._tooltip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
    if (focusRing && p.bounds) {
      const b = p.bounds;
      this._ring.style.transform = `translate(${Math.round(b.x - 3)}px, ${Math.round(b.y - 3)}px)`;
      this._ring.style.width = `${Math.max(6, Math.round(b.w + 6))}px`;
      this._ring.style.height = `${Math.max(6, Math.round(b.h + 6))}px`;
      this._ring.hidden = false;
    } else if (!focusRing) {
      this._ring.hidden = true;
    }
    this._canvas.setAttribute('aria-description', p.tooltip.join('. '));
  }

  // -- export ------------------------------------------------------------------------------

  _require() {
    if (!this._chart || !this._size) throw jsError('bad-spec', 'the chart has not been drawn');
    return this._chart;
  }

  /** PNG at 2× the CSS size. */
  async exportPng() {
    const chart = this._require();
    const canvas = document.createElement('canvas');
    guard({ glue: null, epoch: this._epoch }, () => chart.draw(canvas, this._size.width, this._size.height, 2));
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(jsError('internal', 'toBlob'))), 'image/png'));
  }

  /** SVG document (plotters' SVG backend). */
  exportSvg() {
    return guard({ glue: null, epoch: this._epoch }, () => this._require().svg());
  }

  /** CSV of exactly the data shown, with the indicator definitions. */
  exportCsv() {
    return guard({ glue: null, epoch: this._epoch }, () => this._require().csv());
  }

  /** Downloads the chart as `png`, `svg` or `csv`. */
  async download(format) {
    try {
      const title = this._canvas.getAttribute('aria-label')?.split('. ')[0];
      if (format === 'png') download(await this.exportPng(), fileName(title, 'png'));
      else if (format === 'svg') download(new Blob([this.exportSvg()], { type: 'image/svg+xml' }), fileName(title, 'svg'));
      else if (format === 'csv') download(new Blob(['\ufeff', this.exportCsv()], { type: 'text/csv;charset=utf-8' }), fileName(title, 'csv'));
      else throw jsError('bad-spec', `unknown export format ${format}`);
    } catch (e) {
      this._showError(e, this.language);
    }
  }
}

// ---- API -------------------------------------------------------------------------------

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
  datasetsModule?.then((m) => m.disposeAll(), () => {});
  current = null;
}

if (!customElements.get('kpi-widget')) customElements.define('kpi-widget', KpiWidget);

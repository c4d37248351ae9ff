// element.js: the <kpi-widget> custom element: a chart described by its attributes (or
// the `data`, `source` and `spec` properties), drawn by the WebAssembly chart module on a
// canvas, with a DOM tooltip, keyboard navigation, an accessible table, the export menu
// and its errors shown in the page language. Nothing from the data is ever inserted as
// HTML (text only).

import { KpiError, jsError } from './errors.js';
import { el, styleSheet } from './shadow.js';
import { bundleApi, datasetsApi, guard, instance, isBundleSrc, widgets } from './loader.js';
import { ExportMenu, saveChart } from './menu.js';
import { DEFAULT_LANG, LANGS, UI } from './messages.js';

/** Kinds whose marks select a unit on click (kpi-select). */
const SELECT_KINDS = new Set(['compare', 'scatter', 'heatmap']);
const ATTRIBUTES = ['kind', 'src', 'org', 'programme', 'indicator', 'indicators', 'year', 'peers',
  'top', 'bottom', 'by', 'lang', 'theme', 'height', 'data'];
const CSS_VARS = ['accent', 'font', 'font-size', 'bg', 'surface', 'text', 'muted', 'grid', 'axis',
  'peer', 'median', 'band', 'forecast', 'better', 'worse', 'neutral', 'risk-low', 'risk-medium',
  'risk-high', 'missing', 'heat-worse', 'heat-mid', 'heat-better', 'focus'].map((n) => `--kpi-${n}`);
const DEFAULT_HEIGHT = 320;
/** Point proxies added to the chart group per task (see _fillPoints). */
/** Most point buttons listed at once: a window of the keyboard order. The arrow keys move
 *  the window along (every point stays reachable), the buttons before and after the list
 *  page it in browse mode, and the data table lists every point. */
export const MAX_POINT_BUTTONS = 200;
/** Most data-table rows in the page at once. A longer table (a trend of 166,650 years) is
 *  shown a page at a time, with buttons that page it and a status that says which rows are
 *  shown: building every row took seconds. Sorting sorts every row; the CSV has them all. */
export const TABLE_PAGE_ROWS = 1000;
/** Media queries that choose the theme: Windows high contrast and "more contrast" ask for
 *  the high-contrast theme whatever the page says; `theme="auto"` follows the dark scheme. */
const MEDIA = {
  forced: '(forced-colors: active)',
  more: '(prefers-contrast: more)',
  dark: '(prefers-color-scheme: dark)',
};

/** The theme to draw and the CSS custom properties it adds, from the `theme` attribute and
 *  the user's settings (`probe` resolves CSS system colours in forced-colours mode). */
function effectiveTheme(attr, probe) {
  const want = (attr || 'light').trim().toLowerCase();
  const media = (q) => typeof matchMedia === 'function' && matchMedia(q).matches;
  if (media(MEDIA.forced)) {
    // The system's own colours (Canvas, CanvasText, Highlight): a light system palette
    // keeps the light theme's marks, a dark one the high-contrast theme's.
    const sys = probe?.();
    if (sys) {
      const light = luminance(sys.bg) > 0.5;
      return { theme: light ? 'light' : 'high-contrast', vars: { '--kpi-bg': sys.bg, '--kpi-surface': sys.bg, '--kpi-text': sys.text, '--kpi-muted': sys.text, '--kpi-axis': sys.text, '--kpi-focus': sys.highlight } };
    }
    return { theme: 'high-contrast', vars: {} };
  }
  if (media(MEDIA.more)) return { theme: 'high-contrast', vars: {} };
  if (want === 'auto') return { theme: media(MEDIA.dark) ? 'dark' : 'light', vars: {} };
  return { theme: want, vars: {} };
}

/** WCAG relative luminance of a CSS `rgb(…)` colour (0 when it cannot be read). */
function luminance(css) {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css || '');
  if (!m) return 0;
  const lin = (v) => { const c = Number(v) / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(m[1]) + 0.7152 * lin(m[2]) + 0.0722 * lin(m[3]);
}

/**
 * The heat map's table as its matrix: a row per unit (its name the row header), a column
 * per indicator, the displayed value in each cell and the exact one to sort by.
 */
function heatmapMatrix(t) {
  const k = (name) => (t.keys ?? []).indexOf(name);
  const [label, series, shown, exact] = [k('label'), k('series'), k('value_text'), k('value')];
  if (label < 0 || series < 0 || shown < 0) return t;
  const units = [];
  const cols = [];
  const cells = new Map();
  t.rows.forEach((r, i) => {
    if (!units.includes(r[label])) units.push(r[label]);
    if (!cols.includes(r[series])) cols.push(r[series]);
    cells.set(`${r[label]}\u0000${r[series]}`, { text: r[shown], value: exact >= 0 ? t.values?.[i]?.[exact] : undefined });
  });
  const cell = (u, c) => cells.get(`${u}\u0000${c}`);
  return {
    pivoted: true,
    caption: t.caption,
    keys: ['label', ...cols.map((_, j) => `column_${j}`)],
    columns: [t.columns[label], ...cols],
    numeric: [false, ...cols.map(() => true)],
    rows: units.map((u) => [u, ...cols.map((c) => cell(u, c)?.text ?? '')]),
    values: units.map((u) => [null, ...cols.map((c) => cell(u, c)?.value ?? null)]),
    notes: t.notes,
  };
}

function list(value) {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

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
    // The canvas is the picture only (hidden from assistive technology). What it shows is
    // exposed as Highcharts' accessibility module does: a group with the role description
    // "chart", named by the summary and described by the key instructions, holding one
    // proxy button per data point (its text the point's tooltip). Screen readers reach
    // every point in browse mode (virtual cursor, list items) and in focus mode (Tab onto
    // the chart, then the arrow keys move a roving focus between the proxies).
    this._canvas = el('canvas', { part: 'canvas', 'aria-hidden': 'true' });
    this._tooltip = el('div', { class: 'tooltip', role: 'tooltip', part: 'tooltip', hidden: true });
    this._ring = el('div', { class: 'ring', hidden: true });
    this._points = el('ul', { class: 'points', role: 'list' });
    // A chart of more than MAX_POINT_BUTTONS points lists a window of them, with a button
    // before and after it to page the window (browse mode) and a visible note that says
    // how many points there are and how to reach them (also the group's description).
    this._pagePrev = el('button', { type: 'button', tabindex: '-1', hidden: true });
    this._pageNext = el('button', { type: 'button', tabindex: '-1', hidden: true });
    this._pagePrev.addEventListener('click', () => this._listFrom(this._window.start - MAX_POINT_BUTTONS, 'last'));
    this._pageNext.addEventListener('click', () => this._listFrom(this._window.end, 'first'));
    this._chartGroup = el('div', { class: 'sr-only', id: 'kpi-chart', role: 'group', part: 'points', 'aria-describedby': 'kpi-keys' }, this._pagePrev, this._points, this._pageNext);
    this._capNote = el('p', { class: 'capnote', id: 'kpi-cap', part: 'cap-note', hidden: true });
    this._proxies = [];
    this._proxyTotal = 0;
    this._order = [];
    this._window = { start: 0, end: 0 };
    this._menu = new ExportMenu((format) => this.download(format));
    this._frame = el('div', { class: 'frame', part: 'frame' }, this._canvas, this._ring, this._tooltip, this._chartGroup);
    this._error = el('div', { class: 'error', role: 'alert', part: 'error', hidden: true });
    // A table cannot be shrunk below its content: the wrapper is what is visually hidden.
    // For the `table` kind it is the chart itself, shown instead of the canvas.
    this._table = el('table');
    this._tableNotes = el('div', { class: 'notes' });
    // The pager of a table longer than a page (table-pager.js, imported for such a table).
    this._pager = null;
    this._tableWrap = el('div', { class: 'sr-only', id: 'kpi-table', part: 'table' }, this._table, this._tableNotes);
    // The "Table" toggle next to Export shows the same table to everyone.
    this._tableButton = el('button', { type: 'button', 'aria-pressed': 'false', 'aria-controls': 'kpi-table' });
    this._tableButton.addEventListener('click', () => this._showTable(this._tableButton.getAttribute('aria-pressed') !== 'true'));
    this._menu.toolbar.insertBefore(this._tableButton, this._menu.button);
    this._menu.toolbar.insertBefore(this._capNote, this._tableButton);
    this._sort = null;
    // Key instructions (the chart group's description) and the polite live region that
    // announces changes of the chart (a focused point is announced by its focus).
    this._keys = el('div', { class: 'sr-only', id: 'kpi-keys' });
    this._live = el('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', part: 'live' });
    // What the dataset's load rejected, when anything was: the chart shows what loaded.
    this._notice = el('p', { class: 'notice', part: 'notice', hidden: true });
    // The toolbar sits under the chart, in the flow: its open menu pushes what follows
    // down and never covers the plotted data.
    // Shown once a chart is drawn (it acts on the chart), hidden again with an error.
    this._menu.toolbar.hidden = true;
    root.append(this._frame, this._menu.toolbar, this._notice, this._error, this._tableWrap, this._keys, this._live);
    this._onMedia = () => this._scheduleRebuild();
    this._onDocKey = (ev) => {
      // WCAG 1.4.13: Escape dismisses a hover tooltip wherever the focus is.
      if (ev.key === 'Escape' && !this._tooltip.hidden) this._hideTooltip();
    };
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

  /** The page language of the widget: `lang` attribute, else the nearest `[lang]`, else
   *  DEFAULT_LANG (also for a language the widgets do not speak). */
  get language() {
    const raw = (this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang')
      || document.documentElement.lang || DEFAULT_LANG).toLowerCase().split(/[-_]/)[0];
    return LANGS.includes(raw) ? raw : DEFAULT_LANG;
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
    this._media = typeof matchMedia === 'function' ? Object.values(MEDIA).map((q) => matchMedia(q)) : [];
    for (const m of this._media) m.addEventListener('change', this._onMedia);
    document.addEventListener('keydown', this._onDocKey);
    this._labels();
    this._scheduleRebuild();
  }

  disconnectedCallback() {
    widgets.delete(this);
    this._resize?.disconnect();
    this._dprQuery?.removeEventListener('change', this._onDpr);
    for (const m of this._media ?? []) m.removeEventListener('change', this._onMedia);
    document.removeEventListener('keydown', this._onDocKey);
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
      const eff = effectiveTheme(this.getAttribute('theme'), () => this._systemColors());
      const common = { kind, lang, theme: eff.theme, vars: { ...this._cssVars(), ...eff.vars }, summary: this._summary };
      let inst;
      let make;
      if (this._data !== undefined) {
        // Points as columns of typed arrays are read by the full chart module only.
        const columns = this._data?.points != null && !Array.isArray(this._data.points);
        inst = await instance(columns ? undefined : kind);
        make = (spec) => guard(inst, (g) => new g.Chart({ ...spec, data: this._data }));
      } else if (this._source || this.getAttribute('src')) {
        const src = this.getAttribute('src');
        // A published bundle draws with the chart module alone; files go to the engine.
        const ds = this._source || (isBundleSrc(src)
          ? (await bundleApi()).bundleFor(src)
          : (await datasetsApi()).datasetFor(src));
        const year = this.getAttribute('year');
        const count = (name) => {
          const v = Number(this.getAttribute(name));
          return Number.isInteger(v) && v > 0 ? v : undefined;
        };
        // `peers`: a word list as in the attribute (`region,ownership`), or an explicit
        // group object given through `spec`.
        const peers = this._peers ?? (list(this.getAttribute('peers')).join('|') || undefined);
        // No `lang` or `theme`: the chart input carries its texts in every language and
        // the language is chosen when it is drawn, so changing them reuses the input.
        const request = {
          kind,
          org: this.getAttribute('org') || undefined,
          programme: this.getAttribute('programme') || undefined,
          indicator: this.getAttribute('indicator') || undefined,
          indicators: list(this.getAttribute('indicators')),
          year: year && Number.isFinite(Number(year)) ? Number(year) : undefined,
          peers,
          top: count('top'),
          bottom: count('bottom'),
          by: this.getAttribute('by') || undefined,
        };
        if (request.indicators.length === 0) delete request.indicators;
        const key = JSON.stringify(request);
        let input;
        if (this._input?.ds === ds && this._input.key === key) {
          input = this._input.input;
        } else {
          input = await ds.chart(request);
          if (token !== this._token) return;
          this._input = { ds, key, input };
        }
        inst = await instance(kind);
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
      const hadChart = Boolean(this._chart);
      this._free();
      this._chart = chart;
      this._epoch = inst.epoch;
      this._trapped = false;
      this._focus = undefined;
      this._hideTooltip();
      this._error.hidden = true;
      // The `table` kind is its HTML table, shown instead of the canvas.
      this._isTable = chart.kind === 'table';
      this._frame.hidden = this._isTable;
      this._menu.toolbar.hidden = false;
      this._tableButton.hidden = this._isTable;
      this._showTable(this._tableButton.getAttribute('aria-pressed') === 'true');
      this.dataset.kpiTheme = eff.theme;
      // The content's language is the one drawn (a page language the widgets do not speak
      // falls back to the default, and says so).
      for (const node of [this._frame, this._tableWrap, this._keys, this._live]) node.lang = lang;
      this._draw(true);
      this._notice.hidden = true;
      const ds = this._input?.ds;
      if (ds && this._data === undefined && typeof ds.rejected === 'function') {
        const lost = await ds.rejected().catch(() => null);
        if (token !== this._token) return;
        if (lost && (lost.tables || lost.rows || lost.cells)) {
          this._notice.textContent = UI.rejected[lang](lost.tables, lost.rows, lost.cells);
          this._notice.lang = lang;
          this._notice.hidden = false;
        }
      }
      this.setAttribute('data-kpi-state', 'drawn');
      // A redraw with other data, year or language is announced with the new summary.
      if (hadChart) this._announce(`${UI.updated[lang]}. ${this._chartGroup.getAttribute('aria-label') ?? ''}`);
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
    // CSS zoom and transforms scale the canvas on screen: draw at the pixels it covers.
    const zoom = this._zoom();
    const dpr = Math.min(Math.max((window.devicePixelRatio || 1) * zoom, 0.25), 8);
    this._frame.style.height = `${height}px`;
    this._tableWrap.style.maxHeight = this._isTable ? `${height}px` : '';
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
      this._chartGroup.setAttribute('aria-label', chart.summary());
      this._chartGroup.setAttribute('aria-roledescription', UI.chart[this.language]);
      if (contentChanged || this._tableStale) this._fillTable(chart.table());
      this._tableStale = false;
      if (contentChanged || this._proxyTotal !== chart.pointCount()) this._fillPoints();
    } catch (e) {
      console.warn('kpi-widget: summary, table or points unavailable', e);
    }
    if (this._pointFocused()) this._showPoint(this._focus, true);
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
    this._menu.close();
    this._menu.toolbar.hidden = true;
    this._error.hidden = false;
    this._error.textContent = err.localized(lang);
    this._error.dataset.code = err.code;
    this._table.replaceChildren();
    this._tableNotes.replaceChildren();
    if (this._pager) this._pager.hidden = true;
    this._points.replaceChildren();
    this._proxies = [];
    this._proxyTotal = 0;
    this._order = [];
    this._capNote.hidden = true;
    this._pagePrev.hidden = true;
    this._pageNext.hidden = true;
    this._tableWrap.className = 'sr-only';
    this.setAttribute('data-kpi-state', 'error');
    this.dispatchEvent(new CustomEvent('kpi-error', { detail: { code: err.code, message: err.localized(lang), detail: err.detail } }));
  }

  /** Shows (or hides again) the data table under the chart. */
  _showTable(visible) {
    this._tableButton.setAttribute('aria-pressed', String(visible));
    this._tableWrap.className = visible || this._isTable ? 'datatable' : 'sr-only';
  }

  /**
   * One proxy button per data point, in the chart group (a list) in keyboard order (each
   * lane as the arrow keys walk it): its text is the point's tooltip, so the virtual
   * cursor reads the points in the order the arrow keys visit them; one of them (the
   * focused point, else the first) is the chart's tab stop, and the arrow keys move the
   * focus. At most MAX_POINT_BUTTONS at once: the window that holds the wanted point.
   */
  _fillPoints() {
    const chart = this._chart;
    let order = [];
    try { order = chart ? Array.from(chart.pointOrder()) : []; } catch { order = []; }
    this._order = order;
    this._position = new Map(order.map((p, k) => [p, k]));
    this._proxyTotal = order.length;
    if (this._focus !== undefined && !this._position.has(this._focus)) this._focus = undefined;
    let first;
    try { first = chart?.navigate(undefined, 'Home'); } catch { first = undefined; }
    const wanted = this._focus ?? first ?? order[0];
    this._listAround(wanted, this._points.contains(this.shadowRoot.activeElement));
  }

  /** Lists the window of point buttons that holds point `i` (centred on it when the
   *  chart has more points than a window), its button the tab stop (focused if `focus`). */
  _listAround(i, focus) {
    const k = this._position?.get(i) ?? 0;
    this._listFrom(k - MAX_POINT_BUTTONS / 2, i, focus);
  }

  /** Lists the point buttons from keyboard position `start` (clamped), `at` the tab stop:
   *  a point, or the window's 'first' or 'last' (paging; focused). */
  _listFrom(start, at, focus = typeof at === 'string') {
    const order = this._order;
    const n = order.length;
    start = Math.max(0, Math.min(Math.round(start), n - MAX_POINT_BUTTONS));
    const end = Math.min(n, start + MAX_POINT_BUTTONS);
    let texts = [];
    try { texts = this._chart ? this._chart.pointTexts(start, end) : []; } catch { texts = []; }
    this._window = { start, end };
    this._proxies = [];
    this._tabStop = undefined;
    const items = [];
    for (let k = start; k < end; k++) {
      const b = el('button', { type: 'button', tabindex: '-1', 'data-i': String(order[k]), text: texts[k - start] ?? '' });
      this._proxies[order[k]] = b;
      items.push(el('li', {}, b));
    }
    this._points.replaceChildren(...items);
    const stop = at === 'first' ? order[start] : at === 'last' ? order[end - 1] : at;
    this._setTabStop(this._proxies[stop] ? stop : order[start]);
    const lang = this.language;
    const capped = n > MAX_POINT_BUTTONS && !this._isTable;
    this._capNote.hidden = !capped;
    // (A hidden element named by aria-describedby would still be read.)
    this._chartGroup.setAttribute('aria-describedby', capped ? 'kpi-keys kpi-cap' : 'kpi-keys');
    this._pagePrev.hidden = !capped || start === 0;
    this._pageNext.hidden = !capped || end >= n;
    if (capped) {
      this._capNote.textContent = UI.capNote[lang](start + 1, end, n);
      this._pagePrev.textContent = UI.showPoints[lang](Math.max(1, start + 1 - MAX_POINT_BUTTONS), start, n);
      this._pageNext.textContent = UI.showPoints[lang](end + 1, Math.min(n, end + MAX_POINT_BUTTONS), n);
    }
    if (focus) this._proxies[this._tabStop]?.focus();
  }

  /** Makes proxy `i` the chart's one tab stop (roving tabindex). */
  _setTabStop(i) {
    if (this._tabStop === i) return;
    const old = this._proxies[this._tabStop];
    if (old) old.tabIndex = -1;
    const b = this._proxies[i];
    if (b) b.tabIndex = 0;
    this._tabStop = b ? i : undefined;
  }

  /** Whether a point proxy has the keyboard focus. */
  _pointFocused() {
    const a = this.shadowRoot?.activeElement;
    return Boolean(a && this._points.contains(a)) && this._focus !== undefined;
  }

  /**
   * The data table: the columns that say something (the exact value is left to the CSV
   * when the displayed one is there; columns empty in every row are dropped), real column
   * headers, the column that tells the rows apart as row headers, and headers that sort
   * (by the exact numbers where there are some).
   */
  _fillTable(t) {
    if (this._chart?.kind === 'heatmap' && !t.pivoted) t = heatmapMatrix(t);
    this._tableModel = t;
    const lang = this.language;
    const keys = t.keys ?? [];
    const rows = t.rows ?? [];
    const shown = [];
    for (let c = 0; c < (t.columns ?? []).length; c++) {
      if (keys[c] === 'value' && keys.includes('value_text')) continue;
      if (!rows.some((r) => (r[c] ?? '') !== '')) continue;
      shown.push(c);
    }
    const distinct = (c) => new Set(rows.map((r) => r[c])).size;
    const rowHeader = Number.isInteger(t.row_header) && shown.includes(t.row_header) ? t.row_header : shown.slice(0, 3).reduce((best, c) => (best === undefined || distinct(c) > distinct(best) ? c : best), undefined);
    const label = (c) => (keys[c] === 'details' ? UI.details[lang] : t.columns[c] || UI.details[lang]);
    let order = rows.map((_, i) => i);
    // A `table` chart may come sorted (`sort_by`): its headers say so until re-sorted.
    const given = Number.isInteger(t.sorted_by) ? { col: t.sorted_by, dir: t.descending ? 'descending' : 'ascending' } : null;
    const sort = this._sort ?? given;
    if (sort && shown.includes(sort.col)) {
      const num = (i) => t.values?.[i]?.[sort.col];
      order.sort((a, b) => {
        const x = num(a);
        const y = num(b);
        // Cells without a number (not computable) stay last in both directions.
        if (typeof x === 'number' && typeof y !== 'number') return -1;
        if (typeof x !== 'number' && typeof y === 'number') return 1;
        const d = typeof x === 'number'
          ? x - y
          : String(rows[a][sort.col] ?? '').localeCompare(String(rows[b][sort.col] ?? ''), lang);
        return sort.dir === 'ascending' ? d : -d;
      });
    } else {
      order = rows.map((_, i) => i);
    }
    const head = el('tr', {}, ...shown.map((c) => {
      const b = el('button', { type: 'button', class: 'sort', text: label(c) });
      b.addEventListener('click', () => {
        const now = this._sort ?? given;
        const dir = now?.col === c && now.dir === 'ascending' ? 'descending' : 'ascending';
        this._sort = { col: c, dir };
        this._fillTable(this._tableModel);
        this._table.querySelector(`thead th:nth-child(${shown.indexOf(c) + 1}) button`)?.focus();
      });
      const th = el('th', { scope: 'col', class: t.numeric?.[c] ? 'num' : '' }, b);
      if (sort?.col === c) th.setAttribute('aria-sort', sort.dir);
      return th;
    }));
    this._tableBody = el('tbody', {});
    this._tableRows = { order, shown, rowHeader, rows, numeric: t.numeric };
    this._table.replaceChildren(
      el('caption', { text: t.caption || UI.table[lang] }),
      el('thead', {}, head),
      this._tableBody,
    );
    // A new table (or a new sort) starts at its first page.
    this._showRows(0);
    // Notes under the table (the trend's tests, a source); the "sorted by" note of a
    // table chart goes once the reader sorts by another column.
    const notes = (t.notes ?? []).filter((_, i) => !(i === 0 && given && this._sort));
    this._tableNotes.replaceChildren(...notes.map((n) => el('p', { text: n })));
  }

  /**
   * Shows the table's rows from position `start` (clamped to a page boundary): every row
   * of a table of at most TABLE_PAGE_ROWS, else that page, with the pager (table-pager.js;
   * `from` is the pager button clicked).
   */
  _showRows(start, from) {
    const { order, shown, rowHeader, rows, numeric } = this._tableRows;
    const n = order.length;
    const page = TABLE_PAGE_ROWS;
    const paged = n > page;
    start = paged ? Math.max(0, Math.min(Math.floor(start / page), Math.floor((n - 1) / page)) * page) : 0;
    const end = paged ? Math.min(n, start + page) : n;
    this._rowStart = start;
    this._rowEnd = end;
    const body = [];
    for (let k = start; k < end; k++) {
      const i = order[k];
      body.push(el('tr', {}, ...shown.map((c) => (c === rowHeader
        ? el('th', { scope: 'row', text: rows[i][c] ?? '' })
        : el('td', { text: rows[i][c] ?? '', class: numeric?.[c] ? 'num' : '' })))));
    }
    this._tableBody.replaceChildren(...body);
    this._tableWrap.scrollTop = 0;
    if (this._pager) this._pager.hidden = !paged;
    if (!paged) return;
    const shownRows = this._tableBody;
    import('./table-pager.js').then((m) => {
      // (Unless another table or page was shown meanwhile.)
      if (shownRows === this._tableBody && this._rowStart === start) m.showPager(this, start, end, n, from);
    }).catch((e) => console.warn('kpi-widget: table pager unavailable', e));
  }

  _labels() {
    const lang = this.language;
    this._menu.label(lang);
    this._tableButton.textContent = UI.showTable[lang];
    this._keys.textContent = UI.keys[lang];
  }

  /** On-screen size of one CSS pixel of the canvas (CSS zoom, transforms); 1 when unknown. */
  _zoom() {
    const w = this._canvas.offsetWidth;
    const r = this._canvas.getBoundingClientRect();
    const z = w > 0 ? r.width / w : 1;
    return Number.isFinite(z) && z > 0.05 ? z : 1;
  }

  /** CSS system colours (forced-colours mode) as `rgb(…)`, read from a probe element. */
  _systemColors() {
    const probe = el('span', { class: 'sysprobe' });
    this.shadowRoot.append(probe);
    const cs = getComputedStyle(probe);
    const out = { bg: cs.backgroundColor, text: cs.color, highlight: cs.borderTopColor };
    probe.remove();
    return out.bg && out.text ? out : null;
  }

  /** Says `text` through the polite live region (cleared first, so a repeat is read). */
  _announce(text) {
    this._live.textContent = '';
    clearTimeout(this._announceTimer);
    this._announceTimer = setTimeout(() => { this._live.textContent = text; }, 30);
  }

  // -- interaction -------------------------------------------------------------------------

  _wire() {
    const c = this._canvas;
    // Client pixels to the chart's CSS pixels, also under CSS zoom and transforms.
    const pos = (ev) => {
      const r = c.getBoundingClientRect();
      const z = this._zoom();
      return [(ev.clientX - r.left) / z, (ev.clientY - r.top) / z];
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
    c.addEventListener('pointerleave', (ev) => {
      // A move still waiting for its frame must not bring the tooltip back.
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      // WCAG 1.4.13: the pointer may move onto the tooltip without losing it.
      if (ev.relatedTarget === this._tooltip || this._tooltip.contains(ev.relatedTarget)) return;
      this._hover = undefined;
      if (!this._pointFocused()) this._hideTooltip();
    });
    this._tooltip.addEventListener('pointerleave', (ev) => {
      if (ev.relatedTarget === c) return;
      this._hover = undefined;
      if (!this._pointFocused()) this._hideTooltip();
    });
    c.addEventListener('click', (ev) => {
      const i = pick(ev);
      if (i !== undefined) this._select(i);
    });
    // The point proxies: focus shows the point (tooltip and ring), the arrow keys and
    // the other navigation keys move the focus, Enter or Space (a click) selects.
    const proxy = (ev) => {
      const i = Number(ev.target?.dataset?.i);
      return Number.isInteger(i) ? i : undefined;
    };
    this._points.addEventListener('focusin', (ev) => {
      const i = proxy(ev);
      if (i === undefined || !this._chart) return;
      this._focus = i;
      this._setTabStop(i);
      this._showPoint(i, true);
    });
    this._points.addEventListener('focusout', (ev) => {
      if (this._points.contains(ev.relatedTarget)) return;
      this._ring.hidden = true;
      this._tooltip.hidden = true;
    });
    this._points.addEventListener('click', (ev) => {
      const i = proxy(ev);
      if (i !== undefined) this._select(i);
    });
    this._points.addEventListener('keydown', (ev) => {
      if (!this._chart || ev.key === 'Enter' || ev.key === ' ') return;
      if (ev.key === 'Escape') { this._hideTooltip(); return; }
      let next;
      try { next = this._chart.navigate(this._focus, ev.key); } catch { return; }
      if (next === undefined) return;
      ev.preventDefault();
      const b = this._proxies[next];
      // A point outside the listed window: the window moves to it.
      if (!b) this._listAround(next, true);
      else if (b === this.shadowRoot.activeElement) this._showPoint(next, true);
      else b.focus();
    });
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
      let title;
      try { title = this._chart?.title(); } catch { title = undefined; }
      await saveChart(this, format, title);
    } catch (e) {
      this._showError(e, this.language);
    }
  }
}

// Type declarations of kpi-widgets.js: the <kpi-widget> element and the JavaScript API.

/** Languages of labels, numbers and messages. */
export type KpiLang = 'kk' | 'ru' | 'en';
/** Built-in themes. */
export type KpiTheme = 'light' | 'dark' | 'high-contrast';
/** Chart kinds of widgets.md (a build draws those listed by `(await ready()).kinds()`). */
export type KpiKind =
  | 'kpi-card' | 'trend' | 'compare' | 'distribution' | 'scatter' | 'heatmap'
  | 'risk-gauge' | 'risk-breakdown' | 'radar' | 'table';

/** What `render()` takes: the widget's attributes, plus data given directly. */
export interface KpiSpec {
  kind: KpiKind;
  /** The kind's chart input (e.g. `{indicator, unit_name, points, peers, ...}` for `trend`). */
  data?: unknown;
  /** A dataset from `load()`. */
  dataset?: KpiDataset;
  /** URL of a data file (CSV, XLSX, JSON), parsed once per page. */
  src?: string;
  org?: string;
  programme?: string;
  indicator?: string;
  indicators?: string[] | string;
  year?: number;
  peers?: string[] | string;
  lang?: KpiLang;
  theme?: KpiTheme;
  /** Height in CSS pixels (default 320, or `--kpi-height`). */
  height?: number;
  /** The summary sentence for `aria-label`, if the page has one. */
  summary?: string;
}

/** An error with a stable code and its message in kk, ru and en. */
export class KpiError extends Error {
  readonly name: 'KpiError';
  /** `bad-spec`, `unknown-kind`, `bad-argument`, `too-large`, `canvas`, `draw`, `import`,
   * `not-found`, `view-unavailable`, `network`, `no-data`, `unsupported`, `internal`. */
  readonly code: string;
  readonly messages: Record<KpiLang, string>;
  readonly detail: string;
  localized(lang: KpiLang): string;
}

/** A data file read once and parsed once per module instance. */
export class KpiDataset {
  readonly name: string;
  info(): Promise<{ organisations: number; programmes: number; firstYear: number; lastYear: number; issues: number }>;
  dispose(): void;
}

/** Detail of the `kpi-select` event. */
export interface KpiSelectDetail {
  org: string | null;
  programme: string | null;
  kind: string;
  label: string;
}

/** `<kpi-widget>`. Events: `kpi-select` (click or Enter on a unit in compare, scatter,
 * heatmap), `kpi-render` (`{kind, ms}`), `kpi-error` (`{code, message, detail}`). */
export class KpiWidget extends HTMLElement {
  data: unknown;
  source: KpiDataset | null;
  summary: string | undefined;
  set spec(spec: KpiSpec);
  readonly language: KpiLang;
  /** Resolves when the current specification is drawn or has failed. */
  readonly updateComplete: Promise<void>;
  /** Milliseconds of the last layout + draw. */
  readonly lastDrawMs: number;
  redraw(): number;
  exportPng(): Promise<Blob>;
  exportSvg(): string;
  exportCsv(): string;
  download(format: 'png' | 'svg' | 'csv'): Promise<void>;
  dispose(): void;
}

/** Loads a dataset from a URL, a File/Blob, an ArrayBuffer or a Uint8Array. */
export function load(source: string | URL | Blob | ArrayBuffer | ArrayBufferView): Promise<KpiDataset>;
/** Renders `spec` into a `<kpi-widget>` (or a container that receives one). */
export function render(element: Element, spec: KpiSpec): Promise<KpiWidget>;
/** Disposes one widget or dataset, or everything. */
export function dispose(target?: KpiWidget | KpiDataset): void;
/** The WebAssembly bindings (see kpi_widgets.d.ts). */
export function ready(): Promise<typeof import('./kpi_widgets.js')>;

declare global {
  interface HTMLElementTagNameMap {
    'kpi-widget': KpiWidget;
  }
  interface HTMLElementEventMap {
    'kpi-select': CustomEvent<KpiSelectDetail>;
  }
}

// Type declarations of kpi-widgets.js: the <kpi-widget> element and the JavaScript API.

/** Languages of labels, numbers and messages. */
export type KpiLang = 'kk' | 'ru' | 'en' | 'ky';
/** Built-in themes. */
export type KpiTheme = 'light' | 'dark' | 'high-contrast';
/** Chart kinds of widgets.md (a build draws those listed by `(await ready()).kinds()`). */
export type KpiKind =
  | 'kpi-card' | 'trend' | 'compare' | 'distribution' | 'scatter' | 'heatmap'
  | 'risk-gauge' | 'risk-breakdown' | 'radar' | 'gaps' | 'cohort-flow' | 'table';

/** What `render()` takes: the widget's attributes, plus data given directly. */
export interface KpiSpec {
  kind: KpiKind;
  /** The kind's chart input (e.g. `{indicator, unit_name, points, peers, ...}` for `trend`). A
   *  trend's or scatter's `points` may be columns of typed arrays (`{year: Int32Array, value:
   *  Float64Array}`, `{x: Float64Array, y: Float64Array, id?: string[], name?: string[]}`). */
  data?: unknown;
  /** A dataset from `load()`. */
  dataset?: KpiDataset;
  /** URL of a data file (CSV, XLSX, JSON), or several space-separated URLs of one
   * dataset; parsed once per page per distinct value. */
  src?: string;
  org?: string;
  programme?: string;
  indicator?: string;
  indicators?: string[] | string;
  year?: number;
  /** Words (`level`, `region`, `ownership`, `locality`) or an explicit group. */
  peers?: string[] | string | KpiPeerSpec;
  /** compare: only the best / worst N. */
  top?: number;
  bottom?: number;
  /** gaps: how organisations are grouped (`locality`, `ownership`, `region`, `sex`). */
  by?: 'locality' | 'ownership' | 'region' | 'sex';
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

/** Progress of a load: reading the files (`fraction` 0–0.5), then computing in the engine. */
export interface KpiProgress {
  phase: 'read' | 'compute' | 'done';
  fraction: number;
  bytes?: number;
  total?: number;
}

/** A peer group: a level and year, optionally narrowed. */
export interface KpiPeerSpec {
  level?: 'preschool' | 'school' | 'college' | 'university';
  year?: number;
  region?: string;
  ownership?: 'state' | 'private';
  locality?: 'urban' | 'rural';
  orgs?: string[];
}

/** One row of a risk ranking (`kpi risk`). */
export interface KpiRankingRow {
  rank: number;
  org_id: string;
  name: string;
  names: Record<KpiLang, string>;
  region: string;
  region_name: string;
  level: string;
  year: number;
  /** 0–100, or null when not computable. */
  score: number | null;
  degree: 'low' | 'medium' | 'high' | 'insufficient_data';
  computable_weight_share: number;
  top_criterion: string | null;
  top_criterion_label: Record<KpiLang, string> | null;
}

/** What a dataset holds (kpi_core::engine::DatasetInfo). */
export interface KpiDatasetInfo {
  organisations: { id: string; name: string; names: Record<KpiLang, string>; level: string; region: string;
    region_name: string; ownership: string | null; locality: string | null }[];
  years: number[];
  levels: { code: string; count: number }[];
  regions: { key: string; name: string }[];
  indicators: { code: string; labels: Record<KpiLang, string>; unit: string; direction: string; family: string; levels: string[] }[];
  issues: { file: string; sheet: string | null; row: number | null; column: string | null; severity: 'error' | 'warning' | 'note'; code: string; message: string }[];
  issue_count: number;
  /** What the load rejected: whole tables, and rows and cells inside the tables that loaded. */
  rejected: { tables: number; rows: number; cells: number };
}

/**
 * A dataset parsed once by the engine in a Web Worker (on the main thread only where no
 * worker can be created). After a trap the worker is restarted and the dataset read again
 * on its next use.
 */
export interface KpiDataset {
  readonly name: string;
  /** Milliseconds from the start of the load to the engine's answer (reading included). */
  readonly loadMs: number;
  /** Milliseconds the engine took to parse and compute. */
  readonly engineMs: number;
  info(lang?: KpiLang): Promise<KpiDatasetInfo>;
  ranking(peers?: KpiPeerSpec, lang?: KpiLang): Promise<KpiRankingRow[]>;
  /** The chart input of a view request (what `new Chart({kind, data})` draws), its texts in kk, ru and en. */
  chart(request: Omit<KpiSpec, 'data' | 'dataset' | 'src' | 'lang' | 'theme' | 'height' | 'summary'>): Promise<unknown>;
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

/** One source of a dataset. */
export type KpiSource = string | URL | Blob | ArrayBuffer | ArrayBufferView | { name: string; bytes: ArrayBuffer | ArrayBufferView };

/** Loads a dataset from one source or several files that make one dataset. */
export function load(source: KpiSource | KpiSource[] | FileList, options?: { onProgress?: (p: KpiProgress) => void }): Promise<KpiDataset>;
/** Renders `spec` into a `<kpi-widget>` (or a container that receives one). */
export function render(element: Element, spec: KpiSpec): Promise<KpiWidget>;
/** Disposes one widget or dataset, or everything. */
export function dispose(target?: KpiWidget | KpiDataset): void;
/** The WebAssembly bindings (see kpi_widgets.d.ts) of the chart module that draws `kind`
 *  (the core module for the core kinds unless the full one is loaded), or of the full
 *  module (every kind) when no kind is given. */
export function ready(kind?: KpiKind): Promise<typeof import('./kpi_widgets.js')>;

declare global {
  interface HTMLElementTagNameMap {
    'kpi-widget': KpiWidget;
  }
  interface HTMLElementEventMap {
    'kpi-select': CustomEvent<KpiSelectDetail>;
  }
}

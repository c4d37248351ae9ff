// kpi-datasets.js: datasets for <kpi-widget> and load(), imported by loader.js on the
// first use of a dataset (pages that give chart data directly never download it).
//
import { KpiError, jsError } from './errors.js';
import { DEFAULT_LANG, MESSAGES } from './messages.js';

// Files are parsed and every indicator and risk computed by the engine build of the
// crate (kpi_engine.js) in a same-origin module worker (kpi-worker.js), so that the page
// never freezes and the main thread's download stays the small chart module. Where no
// worker can be created, the same engine runs on the main thread.

const WORKER_URL = new URL('./kpi-worker.js', import.meta.url);
const HOST_URL = new URL('./kpi-engine-host.js', import.meta.url).href;

const remoteError = (d) => (d && d.code && d.code !== 'internal' && d.messages
  ? new KpiError(d.code, d.messages, d.detail)
  : new KpiError(d?.code ?? 'internal', MESSAGES[d?.code] ?? MESSAGES.internal, d?.detail ?? ''));

/** The page's dataset engine: a worker, restarted after a trap, or the main-thread fallback. */
class EngineClient {
  constructor() {
    this.worker = null;
    this.generation = 0; // changes whenever the datasets held so far are lost
    this.pending = new Map(); // id → {resolve, reject, onProgress, op, args, transfer}
    this.seq = 0;
    this.local = null; // Promise of kpi-engine-host.js on the main thread
    this.heard = false;
  }

  _start() {
    if (this.worker || this.local) return;
    this.generation += 1;
    let worker;
    try {
      worker = new Worker(WORKER_URL, { type: 'module', name: 'kpi-engine' });
    } catch (e) {
      this._fallback(e);
      return;
    }
    this.worker = worker;
    this.heard = false;
    worker.addEventListener('message', (ev) => this._receive(worker, ev.data));
    worker.addEventListener('error', (ev) => {
      ev.preventDefault?.();
      if (!this.heard) this._fallback(ev.message || 'worker did not start');
      else this._lose(worker, `worker error: ${ev.message}`);
    });
  }

  _fallback(reason) {
    console.warn('kpi-widgets: no dataset worker; the engine runs on the main thread', reason);
    this.worker?.terminate();
    this.worker = null;
    this.local = import(HOST_URL);
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) this._runLocal(p);
  }

  _receive(worker, msg) {
    this.heard = true;
    if (!msg || msg.id === undefined) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.progress) { p.onProgress?.(msg.progress); return; }
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else {
      p.reject(remoteError(msg.error));
      if (msg.error?.trap) this._lose(worker, msg.error.detail);
    }
  }

  /** A trap or crash: every request still waiting fails; the next one starts a new worker. */
  _lose(worker, detail) {
    if (worker !== this.worker) return;
    console.error('kpi-widgets: the dataset worker failed; a new one starts on the next request', detail);
    worker.terminate();
    this.worker = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(jsError('internal', `dataset worker: ${detail}`));
  }

  async _runLocal(p) {
    let host;
    try {
      host = await this.local;
      p.resolve(await host.handle(p.op, p.args, p.onProgress));
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        console.error('kpi-widgets: the dataset engine trapped; starting a fresh one', e);
        host?.reset();
        this.generation += 1;
      }
      p.reject(remoteError(host ? host.errorData(e) : { code: 'internal', detail: String(e?.message ?? e) }));
    }
  }

  /** Sends `op` with `args` (transferring `transfer`); resolves with the result. */
  call(op, args, { transfer = [], onProgress } = {}) {
    this._start();
    return new Promise((resolve, reject) => {
      const p = { resolve, reject, onProgress, op, args };
      if (this.local) { this._runLocal(p); return; }
      const id = ++this.seq;
      this.pending.set(id, p);
      this.worker.postMessage({ id, op, args }, transfer);
    });
  }
}

let client = null;
const engineClient = () => (client ??= new EngineClient());

const datasets = new Map(); // src (absolute URLs) → KpiDataset

/**
 * A dataset: one or more files read once, parsed once in the engine. Its sources are
 * readers, so that a dataset lost with a trapped worker is read again on its next use.
 */
export class KpiDataset {
  constructor(name, readers) {
    this.name = name;
    this._readers = readers; // [{name, size, read(onBytes) → Promise<Uint8Array>}]
    this._loaded = null; // {generation, promise of {handle, ms, organisations}}
    this.loadMs = NaN;
  }

  async _read(onProgress) {
    const total = this._readers.reduce((s, r) => s + (r.size || 0), 0);
    const done = new Array(this._readers.length).fill(0);
    const report = () => {
      const sum = done.reduce((a, b) => a + b, 0);
      onProgress?.({ phase: 'read', fraction: total ? Math.min(1, sum / total) * 0.5 : 0, bytes: sum, total });
    };
    // One file after the other: the progress is in file order, and a plain static server
    // (tiny_http in `cargo xtask serve`) is not asked for five large bodies at once.
    const files = [];
    for (const [i, r] of this._readers.entries()) {
      const bytes = await r.read((n) => { done[i] = n; report(); });
      done[i] = bytes.byteLength;
      report();
      files.push({ name: r.name, bytes });
    }
    return files;
  }

  /** Loads (again, after a lost worker) and resolves with the engine's handle. */
  _handle(onProgress) {
    const c = engineClient();
    c._start();
    if (!this._loaded || this._loaded.generation !== c.generation) {
      const generation = c.generation;
      const promise = (async () => {
        const t0 = performance.now();
        const files = await this._read(onProgress);
        onProgress?.({ phase: 'compute', fraction: 0.5 });
        const result = await c.call('load', { files }, {
          transfer: files.map((f) => f.bytes.buffer),
          onProgress: (p) => onProgress?.({ ...p, fraction: p.fraction ?? 0.6 }),
        });
        this.loadMs = performance.now() - t0;
        this.engineMs = result.ms;
        onProgress?.({ phase: 'done', fraction: 1 });
        return result.handle;
      })();
      this._loaded = { generation, promise };
      promise.catch(() => { if (this._loaded?.promise === promise) this._loaded = null; });
    }
    return this._loaded.promise;
  }

  async _call(op, args) {
    const handle = await this._handle();
    return engineClient().call(op, { ...args, handle });
  }

  /** `{organisations, years, levels, regions, indicators, issues, issue_count, rejected}`, names in `lang`. */
  info(lang = DEFAULT_LANG) { return this._call('info', { lang }); }

  /** What the load rejected, `{tables, rows, cells}`: cheap, for a one-line notice. */
  rejected() { return this._call('rejected', {}); }

  /** Risk ranking of a peer group `{level, year, region, ownership, locality, orgs}`. */
  async ranking(peers = {}, lang = DEFAULT_LANG) { return JSON.parse(await this._call('ranking', { peers, lang })); }

  /** The chart input of a view request (`{kind, org, indicator, year, peers, ...}`), its texts in
   *  kk, ru and en: the chart picks its language when it is drawn. */
  chart(request) { return this._call('chart', { request }); }

  /** Frees the parsed dataset in the engine. */
  dispose() {
    const loaded = this._loaded;
    this._loaded = null;
    const c = client;
    if (!loaded || !c || loaded.generation !== c.generation) return;
    loaded.promise.then((handle) => c.call('dispose', { handle }), () => {}).catch(() => {});
  }
}

async function fetchBytes(url, onBytes) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw jsError('network', `${url}: ${e.message}`, e);
  }
  if (!response.ok) throw jsError('network', `${url}: HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length')) || 0;
  if (!response.body || !length) return new Uint8Array(await response.arrayBuffer());
  const out = new Uint8Array(length);
  let at = 0;
  const chunks = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.byteLength <= length) out.set(value, at);
    else chunks.push(value);
    at += value.byteLength;
    onBytes?.(at);
  }
  if (at === length) return out;
  // A compressed transfer: the length was not the body's; join what came.
  const all = new Uint8Array(at);
  all.set(out.subarray(0, Math.min(at, length)));
  let o = Math.min(at, length);
  for (const c of chunks) { all.set(c, o); o += c.byteLength; }
  return all;
}

const baseName = (url) => decodeURIComponent(new URL(url).pathname.split('/').pop() || 'data');

/** A reader of one source: a URL, a File/Blob, bytes or `{name, bytes}`. */
function reader(source) {
  if (typeof source === 'string' || source instanceof URL) {
    const url = new URL(String(source), document.baseURI).href;
    return { name: baseName(url), size: 0, read: (onBytes) => fetchBytes(url, onBytes) };
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return { name: source.name || 'data', size: source.size, read: async () => new Uint8Array(await source.arrayBuffer()) };
  }
  const raw = source && typeof source === 'object' && 'bytes' in source && !ArrayBuffer.isView(source) ? source.bytes : source;
  const name = (source && typeof source === 'object' && typeof source.name === 'string' && source.name) || 'data';
  if (raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) {
    const view = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    // A copy is what travels to the worker: the caller keeps its bytes.
    return { name, size: view.byteLength, read: async () => view.slice() };
  }
  throw jsError('bad-spec', 'load: expected a URL, File, Blob, ArrayBuffer, Uint8Array or {name, bytes}');
}

/** The dataset of a `src` attribute: one or more space-separated URLs, shared per page. */
export function datasetFor(src) {
  const urls = String(src).trim().split(/\s+/).filter(Boolean).map((u) => new URL(u, document.baseURI).href);
  const key = urls.join(' ');
  let ds = datasets.get(key);
  if (!ds) {
    ds = new KpiDataset(urls.map(baseName).join(' '), urls.map(reader));
    datasets.set(key, ds);
  }
  return ds;
}

/**
 * Loads a dataset from a URL, a `File`/`Blob`, bytes, `{name, bytes}`, or an array of
 * these (files that make one dataset: organisations, observations, students …); options
 * `{onProgress({phase, fraction})}`. The handle can be given to widgets
 * (`render(el, {dataset, kind, ...})`) and answers `info()`, `ranking()`, `chart()`.
 */
export async function load(source, options = {}) {
  const list = Array.isArray(source) || (typeof FileList !== 'undefined' && source instanceof FileList) ? [...source] : [source];
  if (list.length === 0) throw jsError('no-data', 'load: no files');
  const ds = list.length === 1 && (typeof source === 'string' || source instanceof URL)
    ? datasetFor(String(source))
    : new KpiDataset(list.map((s) => s?.name || (typeof s === 'string' ? s : 'data')).join(' '), list.map(reader));
  try {
    await ds._handle(options.onProgress);
  } catch (e) {
    throw KpiError.from(e);
  }
  return ds;
}

/** Frees every dataset of `src` attributes. */
export function disposeAll() {
  for (const d of datasets.values()) d.dispose();
  datasets.clear();
}

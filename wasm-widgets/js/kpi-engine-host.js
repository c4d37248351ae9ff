// kpi-engine-host.js: the dataset engine (kpi_engine.js, the `engine` build of the crate)
// answering requests by operation name. The worker (kpi-worker.js) runs it off the main
// thread; when no worker can be created, kpi-datasets.js imports it on the main thread.
// XLSX workbooks are read by a second module, kpi_sheets.js (calamine, zip, inflate,
// quick-xml), fetched only when a load is given a workbook: it turns each workbook into
// the cell stream the engine reads under the workbook's name (docs/widgets.md).

const GLUE_URL = new URL('./kpi_engine.js', import.meta.url).href;
const WASM_URL = new URL('./kpi_engine_bg.wasm', import.meta.url);
// The same engine built with WebAssembly atomics: a load is spread over pool workers that
// share its memory (docs/widgets.md, "Two cores").
const MT_GLUE_URL = new URL('./kpi_engine_mt.js', import.meta.url).href;
const MT_WASM_URL = new URL('./kpi_engine_mt_bg.wasm', import.meta.url);
const POOL_WORKER_URL = new URL('./kpi-pool-worker.js', import.meta.url);
const SHEETS_GLUE_URL = new URL('./kpi_sheets.js', import.meta.url).href;
const SHEETS_WASM_URL = new URL('./kpi_sheets_bg.wasm', import.meta.url);

let generation = 0;
let glue = null; // Promise of the glue module, instantiated
let sheets = null; // Promise of the spreadsheet module, instantiated on the first workbook
const engines = new Map(); // handle → Engine
let nextHandle = 1;
let pool = []; // the pool workers of the threaded instance

/** How many threads a load may use: the threaded module needs shared memory (a
 *  cross-origin isolated page) and a worker (its threads wait on each other, which the
 *  main thread may not); at most 4, and never more than the machine's cores. */
function threadsWanted() {
  const inWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;
  if (!inWorker || !self.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

async function compiled(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  // compileStreaming needs the application/wasm type; a plain server gets the bytes compiled.
  return (response.headers.get('Content-Type') ?? '').startsWith('application/wasm')
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}

/** A module's URL for instance `g`: a fresh instance after a trap needs a fresh copy of
 *  the glue module. */
function instanceUrl(url, g) {
  return g <= 1 ? url : `${url}?instance=${g}`;
}

/** The threaded engine on this thread and `threads - 1` pool workers on its memory, once
 *  the workers are up (or failed: a job no worker takes runs on the thread waiting for it). */
async function startThreaded(g, threads) {
  const url = instanceUrl(MT_GLUE_URL, g);
  const [m, module] = await Promise.all([import(url), compiled(MT_WASM_URL)]);
  const wasm = await m.default({ module_or_path: module });
  const up = [];
  for (let i = 1; i < threads; i++) {
    const w = new Worker(POOL_WORKER_URL, { type: 'module' });
    up.push(new Promise((resolve) => {
      w.addEventListener('message', resolve, { once: true });
      w.addEventListener('error', resolve, { once: true });
    }));
    w.postMessage({ glue: url, module, memory: wasm.memory });
    pool.push(w);
  }
  m.announcePoolWorkers(threads - 1);
  // The first load waits for the workers (a tenth of a second), else it would start on this
  // thread alone and hand the workers only what is left when they come up.
  await Promise.all(up);
  return m;
}

function start() {
  if (!glue) {
    const g = ++generation;
    const threads = threadsWanted();
    const plain = () => import(instanceUrl(GLUE_URL, g))
      .then(async (m) => { await m.default({ module_or_path: WASM_URL }); return m; });
    // The threaded module when it can help; the plain one when it cannot be started.
    glue = threads > 1 ? startThreaded(g, threads).catch(() => { stopPool(); return plain(); }) : plain();
    glue.catch(() => { glue = null; });
  }
  return glue;
}

function stopPool() {
  for (const w of pool) w.terminate();
  pool = [];
}

function startSheets() {
  if (!sheets) {
    sheets = import(instanceUrl(SHEETS_GLUE_URL, generation))
      .then(async (m) => { await m.default({ module_or_path: SHEETS_WASM_URL }); return m; });
    sheets.catch(() => { sheets = null; });
  }
  return sheets;
}

function bytesOf(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

/** `files` with each XLSX workbook's bytes replaced by its cell stream (the spreadsheet
 *  module is loaded for the first one); other files, and bytes the engine will refuse,
 *  as given. */
async function withWorkbookCells(m, files) {
  if (!Array.isArray(files)) return files;
  const out = [];
  for (const file of files) {
    const bytes = bytesOf(file?.bytes);
    if (bytes && typeof file.name === 'string' && m.isWorkbook(file.name, bytes.subarray(0, 16))) {
      const s = await startSheets();
      out.push({ name: file.name, bytes: s.workbookCells(bytes) });
    } else {
      out.push(file);
    }
  }
  return out;
}

function engine(handle) {
  const e = engines.get(handle);
  if (!e) {
    const err = new Error(`dataset ${handle} is not loaded`);
    err.name = 'KpiError';
    err.code = 'not-found';
    err.detail = err.message;
    throw err;
  }
  return e;
}

/** Runs operation `op` with `args`; `progress(p)` reports `{phase, fraction}`. */
export async function handle(op, args, progress = () => {}) {
  const m = await start();
  switch (op) {
    case 'load': {
      progress({ phase: 'compute' });
      const t0 = performance.now();
      const files = await withWorkbookCells(m, args.files);
      // The files were transferred here: their buffers are emptied as they are copied in.
      const e = m.Engine.loadTransferred(files);
      const h = nextHandle++;
      engines.set(h, e);
      const threads = typeof m.poolThreads === 'function' ? m.poolThreads() : 1;
      return { handle: h, ms: performance.now() - t0, organisations: e.organisationCount(), threads };
    }
    case 'info': return engine(args.handle).info(args.lang);
    case 'rejected': return engine(args.handle).rejected();
    // JSON text, parsed by the page (kpi-datasets.js): a national ranking is ~11 MB, which
    // crosses postMessage as one string much faster than as objects.
    case 'ranking': return engine(args.handle).rankingJson(args.peers ?? null, args.lang);
    case 'chart': return engine(args.handle).chart(args.request);
    case 'dispose': {
      const e = engines.get(args.handle);
      engines.delete(args.handle);
      if (e) e.free();
      return true;
    }
    default: throw Object.assign(new Error(`unknown operation ${op}`), { name: 'KpiError', code: 'bad-argument', detail: `unknown operation ${op}` });
  }
}

/** After a trap: forget the instance and every engine in it. */
export function reset() {
  stopPool();
  glue = null;
  sheets = null;
  engines.clear();
}

/** An error as plain data (what crosses postMessage): the KpiError shape plus `trap`. */
export function errorData(e) {
  const trap = e instanceof WebAssembly.RuntimeError;
  return {
    name: e?.name === 'KpiError' ? 'KpiError' : String(e?.name ?? 'Error'),
    code: e?.name === 'KpiError' ? e.code : 'internal',
    messages: e?.messages ?? null,
    detail: e?.name === 'KpiError' ? (e.detail ?? '') : `${trap ? 'WebAssembly trap: ' : ''}${e?.message ?? e}`,
    trap,
  };
}

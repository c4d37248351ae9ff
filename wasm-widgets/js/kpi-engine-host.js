// kpi-engine-host.js: the dataset engine (kpi_engine.js, the `engine` build of the crate)
// answering requests by operation name. The worker (kpi-worker.js) runs it off the main
// thread; when no worker can be created, kpi-datasets.js imports it on the main thread.
// XLSX workbooks are read by a second module, kpi_sheets.js (calamine, zip, inflate,
// quick-xml), fetched only when a load is given a workbook: it turns each workbook into
// the cell stream the engine reads under the workbook's name (docs/widgets.md).

const GLUE_URL = new URL('./kpi_engine.js', import.meta.url).href;
const WASM_URL = new URL('./kpi_engine_bg.wasm', import.meta.url);
const SHEETS_GLUE_URL = new URL('./kpi_sheets.js', import.meta.url).href;
const SHEETS_WASM_URL = new URL('./kpi_sheets_bg.wasm', import.meta.url);

let generation = 0;
let glue = null; // Promise of the glue module, instantiated
let sheets = null; // Promise of the spreadsheet module, instantiated on the first workbook
const engines = new Map(); // handle → Engine
let nextHandle = 1;

function start() {
  if (!glue) {
    const g = ++generation;
    // A fresh instance after a trap needs a fresh copy of the glue module.
    glue = import(g === 1 ? GLUE_URL : `${GLUE_URL}?instance=${g}`)
      .then(async (m) => { await m.default({ module_or_path: WASM_URL }); return m; });
    glue.catch(() => { glue = null; });
  }
  return glue;
}

function startSheets() {
  if (!sheets) {
    const url = generation <= 1 ? SHEETS_GLUE_URL : `${SHEETS_GLUE_URL}?instance=${generation}`;
    sheets = import(url)
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
      return { handle: h, ms: performance.now() - t0, organisations: e.organisationCount() };
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

// Runs the widgets' bundle reader (wasm-widgets/js/kpi-bundle.js) in Node over a bundle
// folder and prints the chart input of each request as one JSON array on stdout:
//   node bundle-reader.mjs BUNDLE_DIR REQUESTS.json
// Used by tests/tests/bundle_reader.rs, which compares the inputs with the engine's own
// (the same charts computed from the records) and checks the bundle-only guarantees.
// Files are served from the folder through a `fetch` of this process, as a portal's web
// server would serve them.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const [dir, requestsFile] = process.argv.slice(2);
const BASE = 'http://bundle.test/kpi-data/';
globalThis.document = { baseURI: BASE };
globalThis.fetch = async (url) => {
  const path = decodeURIComponent(new URL(url).pathname.replace('/kpi-data/', ''));
  try {
    const body = await readFile(join(dir, path), 'utf8');
    return { ok: true, status: 200, json: async () => JSON.parse(body) };
  } catch {
    return { ok: false, status: 404, json: async () => null };
  }
};

const { bundleFor } = await import(new URL('../../wasm-widgets/js/kpi-bundle.js', import.meta.url));
const requests = JSON.parse(await readFile(requestsFile, 'utf8'));
const bundle = bundleFor(`${BASE}manifest.json`);
const out = [];
for (const r of requests) {
  try {
    out.push({ ok: await bundle.chart(r) });
  } catch (e) {
    out.push({ error: { code: e.code ?? 'internal', detail: e.detail ?? String(e) } });
  }
}
process.stdout.write(JSON.stringify(out));

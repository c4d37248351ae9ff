// End-to-end test of the analyst dashboard (demo/index.html), the portal example
// (demo/portal.html, from the published bundle) and a page drawing from record files
// (demo/e2e/files.html), against the `kpi` CLI on the same data (demo/data/):
// load the sample through the file input, compare the ranking table with `kpi risk`,
// select an organisation and compare its cards with `kpi indicators`, switch language,
// export the ranking CSV and compare it with the CLI, load the sample as one XLSX workbook
// (through the lazily fetched spreadsheet module) and compare its ranking with `kpi risk`
// on the workbook, and check that nothing logged an error. Screenshots of every step go to target/e2e/dashboard/.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SAMPLE = ['organisations.csv', 'observations.csv', 'students.csv', 'grades.csv', 'surveys.csv'];
const RANKING_ROWS = 10;

/** Minimal CSV reader (quotes, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i += 1;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

/** `kpi risk` rows in the order of the ranking: scored first, score descending, then org_id. */
function cliRanking(bin, data, year, level) {
  const rows = parseCsv(execFileSync(bin, ['risk', data, '--year', String(year), '--level', level, '--format', 'csv'], { encoding: 'utf8' }));
  const insufficient = (r) => (r.degree === 'insufficient_data' ? 1 : 0);
  const score = (r) => (r.score === '' ? -1 : Number(r.score));
  return rows.sort((a, b) => insufficient(a) - insufficient(b) || score(b) - score(a) || (a.org_id < b.org_id ? -1 : a.org_id > b.org_id ? 1 : 0));
}

/** A number as displayed in kk/ru/en (spaces as thousands separators, decimal comma). */
const shown = (text) => Number(String(text).replace(/[\s\u00a0\u202f]/g, '').replace(',', '.').replace(/[^0-9.+-]/g, ''));

async function poll(page, fn, arg, timeout = 120_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn.toString().slice(0, 100)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every connected widget under `selector` is drawn or shows an error. */
const widgetsSettled = (selector) => {
  const ws = [...document.querySelectorAll(selector)];
  return ws.length > 0 && ws.every((w) => ['drawn', 'error'].includes(w.getAttribute('data-kpi-state')));
};

function watchConsole(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  return errors;
}

export async function testDashboard(browser, base, tag, { root, bin, check }) {
  console.log(`\n${tag}: ${base}/index.html (dashboard)`);
  const shots = join(root, 'target', 'e2e', 'dashboard');
  mkdirSync(shots, { recursive: true });
  const shot = (page, step) => page.screenshot({ path: join(shots, `${tag}-${step}.png`), fullPage: true });
  const data = join(root, 'demo', 'data');
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  const errors = watchConsole(page);
  // Every request, the dataset worker's included: the spreadsheet module is fetched only
  // for a workbook.
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const sheetsRequests = () => requested.filter((p) => /\/kpi_sheets(_bg\.wasm|\.js)$/.test(p));
  await page.goto(`${base}/index.html`);
  await poll(page, () => document.body.dataset.state === 'ready' || document.body.dataset.state === 'error');
  check(await page.evaluate(() => document.body.dataset.state) === 'ready', 'the bundled sample loads on open');

  // 1. The sample through the file input.
  await page.evaluate(() => { document.body.dataset.state = 'picked'; });
  const t0 = Date.now();
  await page.setInputFiles('#file-input', SAMPLE.map((f) => join(data, f)));
  await poll(page, () => ['ready', 'error'].includes(document.body.dataset.state));
  const loadMs = Date.now() - t0;
  await poll(page, widgetsSettled, 'main kpi-widget');
  const status = await page.evaluate(() => ({ state: document.body.dataset.state, text: document.getElementById('status-text').textContent }));
  check(status.state === 'ready', `files from the file input load in ${loadMs} ms: "${status.text}"`);
  // The dashboard is cross-origin isolated (xtask serve): on two cores or more its worker
  // runs the threaded engine module.
  check(requested.some((p) => /\/kpi_engine(_mt)?_bg\.wasm$/.test(p)) && sheetsRequests().length === 0,
    `CSV loads fetch the engine module and never the spreadsheet module (${sheetsRequests().join(', ') || 'no kpi_sheets request'})`);
  await shot(page, '1-loaded');

  // 2. The ranking table against `kpi risk`.
  const filters = await page.evaluate(() => ({ level: document.getElementById('f-level').value, year: Number(document.getElementById('f-year').value) }));
  const cli = cliRanking(bin, data, filters.year, filters.level);
  const table = await page.evaluate(() => [...document.querySelectorAll('#ranking-table tbody tr')].map((tr) => ({
    org: tr.dataset.org, cells: [...tr.cells].map((c) => c.textContent),
  })));
  check(table.length === cli.length, `ranking of ${filters.level} ${filters.year}: ${table.length} rows, kpi risk ${cli.length}`);
  for (let i = 0; i < Math.min(RANKING_ROWS, cli.length); i += 1) {
    const want = cli[i];
    const got = table[i];
    const wantScore = want.score === '' ? '—' : Number(want.score).toFixed(1);
    const gotScore = got?.cells[3] === '—' ? '—' : shown(got?.cells[3]).toFixed(1);
    check(got?.org === want.org_id && gotScore === wantScore, `ranking row ${i + 1}: ${got?.org} ${got?.cells[3]} = kpi risk ${want.org_id} ${wantScore}`);
  }

  // 3. Select an organisation (third row) and compare its cards with `kpi indicators`.
  const pick = table[2]?.org ?? table[0]?.org;
  await page.click(`#ranking-table tbody tr[data-org="${pick}"]`);
  await poll(page, (org) => document.querySelector(`#ranking-table tr[data-org="${org}"]`)?.getAttribute('aria-selected') === 'true', pick);
  await new Promise((r) => setTimeout(r, 100));
  await poll(page, widgetsSettled, 'main kpi-widget');
  const orgTitle = await page.evaluate(() => document.getElementById('org-meta').textContent);
  check(orgTitle.includes(pick), `selected organisation ${pick} in the header ("${orgTitle}")`);
  const indicators = parseCsv(execFileSync(bin, ['indicators', data, '--org', pick, '--year', String(filters.year), '--format', 'csv'], { encoding: 'utf8' }))
    .filter((r) => r.programme === '');
  const cards = await page.evaluate(() => [...document.querySelectorAll('#cards kpi-widget')].map((w) => ({
    indicator: w.getAttribute('indicator'),
    state: w.getAttribute('data-kpi-state'),
    org: w.getAttribute('org'),
    value: w._chart ? (() => { try { return w._chart.point(0); } catch { return null; } })() : null,
  })));
  check(cards.length > 0, `${cards.length} cards`);
  for (const c of cards) {
    const row = indicators.find((r) => r.indicator === c.indicator);
    if (!row) { check(false, `card ${c.indicator}: kpi indicators has no row`); continue; }
    if (row.status !== 'ok' && row.value === '') {
      check(c.state === 'drawn' || c.state === 'error', `card ${c.indicator}: not computable (${row.reason}) → ${c.state}`);
      continue;
    }
    const want = Number(row.value);
    // The card's number as displayed (kk: decimal comma), to its own precision.
    const text = c.value?.value_text ?? '';
    const decimals = (text.replace(/[^0-9,.]/g, '').split(/[,.]/)[1] ?? '').length;
    const got = shown(text);
    const ok = c.org === pick && c.value?.id === 'value' && Number.isFinite(got)
      && Math.abs(got - want) <= 0.5 * 10 ** -decimals + 1e-9;
    check(ok, `card ${c.indicator}: "${text || c.state}" = kpi indicators ${row.value} ${row.unit}`);
  }
  await shot(page, '2-selected');

  // 4. kpi-select from a chart drives the page too.
  const other = table[0]?.org;
  await page.evaluate((org) => document.querySelector('#w-risk-compare kpi-widget').dispatchEvent(new CustomEvent('kpi-select', { bubbles: true, composed: true, detail: { org, programme: null } })), other);
  await poll(page, (org) => document.querySelector('#w-trend kpi-widget').getAttribute('org') === org, other, 10_000).catch(() => null);
  check(await page.evaluate(() => document.querySelector('#w-trend kpi-widget').getAttribute('org')) === other, `kpi-select ${other} moves every widget`);
  await poll(page, widgetsSettled, 'main kpi-widget');

  // 5. Languages.
  const LABELS = { ru: ['Рейтинг риска', 'Организация', 'Выбранная организация'], en: ['Risk ranking', 'Organisation', 'Selected organisation'], kk: ['Тәуекел рейтингі', 'Ұйым', 'Таңдалған ұйым'], ky: ['Тобокелдик рейтинги', 'Уюм', 'Тандалган уюм'] };
  for (const lang of ['ru', 'en', 'ky', 'kk']) {
    await page.click(`[data-lang="${lang}"]`);
    await new Promise((r) => setTimeout(r, 100));
    await poll(page, widgetsSettled, 'main kpi-widget');
    const got = await page.evaluate(() => [document.getElementById('h-ranking').textContent, document.querySelector('#ranking-table th[data-sort="name"]').textContent,
      document.querySelector('[data-i18n="selected"]').textContent, document.documentElement.lang,
      document.querySelector('#w-trend kpi-widget').shadowRoot.getElementById('kpi-chart')?.getAttribute('aria-label') ?? '']);
    check(JSON.stringify(got.slice(0, 3)) === JSON.stringify(LABELS[lang]) && got[3] === lang, `${lang}: labels ${got.slice(0, 3).join(' | ')}`);
    const script = { ru: /[А-Яа-яЁё]/, kk: /[ӘәҒғҚқҢңӨөҰұҮүІі]|[А-Яа-я]/, ky: /[ҢңӨөҮү]/, en: /^[\x20-\x7E\u00a0–—…’·%‰]+$/ }[lang];
    check(script.test(got[4]), `${lang}: trend summary "${got[4].slice(0, 80)}"`);
    await shot(page, `3-${lang}`);
  }

  // 6. Export the ranking and compare it with the CLI.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#ranking-export')]);
  const exported = parseCsv(readFileSync(await download.path(), 'utf8'));
  check(exported.length === cli.length, `export: ${exported.length} rows, kpi risk ${cli.length}`);
  const cols = ['org_id', 'year', 'degree', 'top_criterion'];
  let same = exported.length === cli.length;
  for (let i = 0; same && i < cli.length; i += 1) {
    const a = exported[i];
    const b = cli[i];
    same = cols.every((c) => a[c] === b[c])
      && (a.score === '' ? b.score === '' : Math.abs(Number(a.score) - Number(b.score)) < 1e-9)
      && Math.abs(Number(a.computable_weight_share) - Number(b.computable_weight_share)) < 1e-12;
    if (!same) console.log('   first difference', JSON.stringify(a), JSON.stringify(b));
  }
  check(same, 'export: every row equals kpi risk (org, year, score, degree, weight share, top criterion)');

  // 7. A widget's own CSV export works.
  const csv = await page.evaluate(() => document.querySelector('#w-trend kpi-widget').exportCsv());
  check(csv.split('\n').length > 3, `trend CSV export (${csv.split('\n').length} lines)`);

  // 8. A workbook (the sample as one XLSX, a sheet per table) through the file input: the
  // worker fetches the spreadsheet module once, and the ranking is the one `kpi risk`
  // computes from the same workbook natively.
  const dir = mkdtempSync(join(tmpdir(), 'kpi-xlsx-'));
  const xlsx = join(dir, 'sample.xlsx');
  execFileSync(bin, ['sample', '--out', join(dir, 'csv'), '--years', '2021..2024', '--xlsx', xlsx], { encoding: 'utf8' });
  await page.evaluate(() => { document.body.dataset.state = 'picked'; });
  const tx = Date.now();
  await page.setInputFiles('#file-input', [xlsx]);
  await poll(page, () => ['ready', 'error'].includes(document.body.dataset.state));
  await poll(page, widgetsSettled, 'main kpi-widget');
  const xlsxStatus = await page.evaluate(() => ({ state: document.body.dataset.state, text: document.getElementById('status-text').textContent }));
  check(xlsxStatus.state === 'ready', `an XLSX workbook loads in ${Date.now() - tx} ms: "${xlsxStatus.text}"`);
  const sheetsWasm = requested.filter((p) => p.endsWith('/kpi_sheets_bg.wasm')).length;
  check(sheetsWasm === 1, `the workbook fetched the spreadsheet module once (kpi_sheets_bg.wasm ${sheetsWasm}×)`);
  const xf = await page.evaluate(() => ({ level: document.getElementById('f-level').value, year: Number(document.getElementById('f-year').value) }));
  const xcli = cliRanking(bin, xlsx, xf.year, xf.level);
  const xtable = await page.evaluate(() => [...document.querySelectorAll('#ranking-table tbody tr')].map((tr) => ({
    org: tr.dataset.org, score: tr.cells[3]?.textContent,
  })));
  const xsame = xcli.length > 0 && xtable.length === xcli.length && xcli.every((want, i) => {
    const wantScore = want.score === '' ? '—' : Number(want.score).toFixed(1);
    const got = xtable[i];
    return got.org === want.org_id && (got.score === '—' ? '—' : shown(got.score).toFixed(1)) === wantScore;
  });
  check(xsame, `workbook ranking of ${xf.level} ${xf.year}: ${xtable.length} rows, each = kpi risk on the workbook (${xcli.length} rows)`);
  await shot(page, '5-xlsx');
  rmSync(dir, { recursive: true, force: true });

  const timing = await page.evaluate(() => ({ engineMs: window.__kpiDashboard?.dataset?.engineMs, loadMs: window.__kpiDashboard?.dataset?.loadMs }));
  console.log(`  info  engine ${timing.engineMs?.toFixed(0)} ms, load + compute ${timing.loadMs?.toFixed(0)} ms in the worker (small sample)`);
  await shot(page, '4-final');
  check(errors.length === 0, `no console error${errors.length ? `: ${errors.join(' | ')}` : ''}`);
  await page.close();
}

/**
 * The portal example (portal.html) draws from the published bundle of the sample: three
 * widgets drawn, no record-level file and no engine downloaded, no worker started; the
 * bytes of bundle files it transferred are printed; a new language redraws without
 * fetching anything.
 */
export async function testPortal(browser, base, tag, { root, check }) {
  console.log(`\n${tag}: ${base}/portal.html (published bundle)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  let workers = 0;
  page.on('worker', () => { workers += 1; });
  const errors = watchConsole(page);
  const requested = [];
  const sizes = new Map();
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  page.on('response', async (r) => {
    const path = new URL(r.url()).pathname;
    if (!path.startsWith('/kpi-data/')) return;
    const body = await r.body().catch(() => null);
    if (body) sizes.set(path, body.length);
  });
  await page.goto(`${base}/portal.html`);
  await poll(page, widgetsSettled, 'kpi-widget');
  const states = await page.evaluate(() => [...document.querySelectorAll('kpi-widget')].map((w) => `${w.getAttribute('kind')}:${w.getAttribute('data-kpi-state')}`));
  check(states.length === 3 && states.every((s) => s.endsWith(':drawn')), `portal widgets ${states.join(', ')}`);
  const records = requested.filter((p) => /\/data\/|\.csv$|students|grades|surveys/.test(p));
  check(records.length === 0, `no record-level file requested (${records.join(', ') || 'none'})`);
  const engine = requested.filter((p) => /kpi_engine|kpi-datasets|kpi-worker/.test(p));
  check(engine.length === 0, `the engine is never downloaded (${engine.join(', ') || 'none'})`);
  check(workers === 0, `no dataset worker (${workers})`);
  const bundleFiles = requested.filter((p) => p.startsWith('/kpi-data/'));
  check(bundleFiles.includes('/kpi-data/manifest.json') && bundleFiles.some((p) => p.startsWith('/kpi-data/orgs/')),
    `bundle files read: ${[...new Set(bundleFiles)].join(', ')}`);
  check(new Set(bundleFiles).size === bundleFiles.length, `each bundle file fetched once (${bundleFiles.length} requests)`);
  const bytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  console.log(`  bundle data transferred: ${bytes} bytes (uncompressed) in ${sizes.size} files`);
  const label = await poll(page, () => {
    const w = document.querySelector('kpi-widget[kind="trend"]');
    return w.shadowRoot.getElementById('kpi-chart')?.getAttribute('aria-label') ?? null;
  }, null, 5000).catch(() => null);
  check(/жұмысқа орналас/.test(label ?? ''), `trend drawn in Kazakh from the bundle: "${(label ?? '').slice(0, 60)}"`);
  const before = requested.length;
  await page.evaluate(() => document.querySelector('kpi-widget[kind="trend"]').setAttribute('lang', 'ru'));
  const relabelled = await poll(page, () => {
    const w = document.querySelector('kpi-widget[kind="trend"]');
    const l = w.shadowRoot.getElementById('kpi-chart')?.getAttribute('aria-label') ?? '';
    return w.getAttribute('data-kpi-state') === 'drawn' && /Трудоустройство/.test(l) ? l : null;
  }, null, 5000).catch(() => null);
  check(relabelled && requested.length === before,
    `lang kk → ru redraws the trend in Russian with no new request (${before} → ${requested.length}): "${(relabelled ?? '').slice(0, 60)}"`);
  // Widgets drawn from the bundle have their kind's data table too (kpi-card and trend
  // one row per year, compare one per organisation with a numeric rank first).
  const tables = await page.evaluate(() => [...document.querySelectorAll('kpi-widget')].map((w) => {
    w.shadowRoot.querySelector('[aria-controls=kpi-table]').click();
    const t = w.shadowRoot.querySelector('#kpi-table table');
    const rows = [...t.querySelectorAll('tbody tr')];
    return {
      kind: w.getAttribute('kind'),
      caption: t.querySelector('caption')?.textContent ?? '',
      cols: [...t.querySelectorAll('thead th[scope=col]')].map((th) => th.textContent),
      rows: rows.length,
      heads: [...t.querySelectorAll('tbody th[scope=row]')].map((th) => th.textContent),
      first: rows.map((tr) => tr.children[0]?.textContent ?? ''),
    };
  }));
  for (const t of tables) {
    const firstCol = { 'kpi-card': 'Оқу жылы', trend: 'Учебный год', compare: 'Орын' }[t.kind];
    check(t.rows > 0 && t.heads.length === t.rows && new Set(t.heads).size === t.rows && t.caption && t.cols[0] === firstCol,
      `portal ${t.kind} from the bundle: its own table "${t.caption}" (${t.cols.join(' | ')}), a distinct row header in each of ${t.rows} rows`);
    if (t.kind === 'compare') {
      const ranks = t.first.filter(Boolean).map(Number);
      check(ranks.length >= 2 && ranks.every((r, k) => Number.isInteger(r) && r >= 1 && (k === 0 || r >= ranks[k - 1])),
        `portal compare from the bundle: ranks ${ranks.slice(0, 5).join(', ')}… ascending whole numbers`);
    }
  }
  // The two chart modules (docs/widgets.md): a page of core kinds loads the core module
  // only; a widget of another kind then loads the full module, once, and every widget draws.
  const wasm = (name) => requested.filter((p) => p.endsWith(`/${name}_bg.wasm`)).length;
  check(wasm('kpi_widgets_core') === 1 && wasm('kpi_widgets') === 0,
    `core kinds only: the core chart module fetched once, the full one never (core ${wasm('kpi_widgets_core')}, full ${wasm('kpi_widgets')})`);
  // A trap in the core module (simulated: the engine's RuntimeError from a draw) retires its
  // instance only: that widget shows the internal error, the others are drawn again on a
  // fresh core instance (its glue imported again, the compiled module reused).
  const glueRequests = () => requested.filter((p) => p.endsWith('/kpi_widgets_core.js')).length;
  const consoleBefore = errors.length;
  const trapped = await page.evaluate(() => {
    const card = document.querySelector('kpi-widget[kind="kpi-card"]');
    card._chart.draw = () => { throw new WebAssembly.RuntimeError('unreachable (simulated trap)'); };
    card.redraw();
    return { state: card.getAttribute('data-kpi-state'), code: card.shadowRoot.querySelector('.error')?.dataset.code };
  });
  const redrawn = await poll(page, () => {
    const others = [...document.querySelectorAll('kpi-widget:not([kind="kpi-card"])')];
    return others.every((w) => w.getAttribute('data-kpi-state') === 'drawn' && w._epoch > 1) ? others.length : null;
  }, null, 10_000).catch(() => null);
  check(trapped.state === 'error' && trapped.code === 'internal' && redrawn === 2 && glueRequests() === 2 && wasm('kpi_widgets_core') === 1 && wasm('kpi_widgets') === 0,
    `a trap in the core module: kpi-card shows ${trapped.code}, trend and compare drawn again on a fresh core instance (core glue requested ${glueRequests()}×, core wasm ${wasm('kpi_widgets_core')}×, full ${wasm('kpi_widgets')}×)`);
  // The trap's two logged errors are expected; the kpi-card is drawn again for what follows.
  errors.splice(consoleBefore);
  await page.evaluate(() => document.querySelector('kpi-widget[kind="kpi-card"]').setAttribute('lang', 'ru'));
  await poll(page, () => document.querySelector('kpi-widget[kind="kpi-card"]').getAttribute('data-kpi-state') === 'drawn', null, 10_000).catch(() => null);
  const added = await page.evaluate(async () => {
    const api = await import('/kpi/kpi-widgets.js');
    const examples = await (await fetch('/e2e/examples.json')).json();
    const out = [];
    for (const name of ['heatmap', 'radar']) {
      const { kind, ...data } = examples.find((e) => e.name === name).input;
      const host = document.createElement('div');
      document.body.append(host);
      const w = await api.render(host, { kind, data, lang: 'ru', height: 400 });
      out.push({
        kind,
        state: w.getAttribute('data-kpi-state'),
        points: w._chart?.pointCount() ?? 0,
        label: w.shadowRoot.getElementById('kpi-chart')?.getAttribute('aria-label') ?? '',
      });
    }
    return out;
  });
  for (const a of added) {
    check(a.state === 'drawn' && a.points > 0 && a.label.length > 0,
      `a ${a.kind} widget added to the core page draws (${a.state}, ${a.points} points): "${a.label.slice(0, 50)}"`);
  }
  check(wasm('kpi_widgets') === 1 && wasm('kpi_widgets_core') === 1,
    `two widgets of other kinds: the full chart module fetched once (full ${wasm('kpi_widgets')}, core ${wasm('kpi_widgets_core')})`);
  // The core widgets keep working on a page that has both modules: a redraw in another
  // language (now with the full module) still draws.
  await page.evaluate(() => document.querySelector('kpi-widget[kind="trend"]').setAttribute('lang', 'en'));
  const mixed = await poll(page, () => {
    const w = document.querySelector('kpi-widget[kind="trend"]');
    const l = w.shadowRoot.getElementById('kpi-chart')?.getAttribute('aria-label') ?? '';
    return w.getAttribute('data-kpi-state') === 'drawn' && /employment/i.test(l) ? l : null;
  }, null, 5000).catch(() => null);
  check(Boolean(mixed), `after the switch the core-kind trend still redraws, in English: "${(mixed ?? '').slice(0, 60)}"`);
  check(wasm('kpi_widgets') === 1 && wasm('kpi_widgets_core') === 1, 'and no chart module is fetched again');
  // A trap in the full module retires only its instance: the widgets it drew are drawn again
  // on a fresh full instance, those of the core module keep theirs.
  const fullGlue = () => requested.filter((p) => p.endsWith('/kpi_widgets.js')).length;
  const consoleBefore2 = errors.length;
  const coreEpoch = await page.evaluate(() => document.querySelector('kpi-widget[kind="compare"]')._epoch);
  const trappedFull = await page.evaluate(() => {
    const heat = document.querySelector('kpi-widget[kind="heatmap"]');
    heat._chart.draw = () => { throw new WebAssembly.RuntimeError('unreachable (simulated trap)'); };
    heat.redraw();
    return { state: heat.getAttribute('data-kpi-state'), epoch: heat._epoch };
  });
  const redrawnFull = await poll(page, (old) => {
    const ws = ['trend', 'radar'].map((k) => document.querySelector(`kpi-widget[kind="${k}"]`));
    return ws.every((w) => w.getAttribute('data-kpi-state') === 'drawn' && w._epoch > old) ? ws.length : null;
  }, trappedFull.epoch, 10_000).catch(() => null);
  const coreAfter = await page.evaluate(() => {
    const w = document.querySelector('kpi-widget[kind="compare"]');
    return { state: w.getAttribute('data-kpi-state'), epoch: w._epoch };
  });
  check(trappedFull.state === 'error' && redrawnFull === 2 && fullGlue() === 2 && wasm('kpi_widgets') === 1 && coreAfter.state === 'drawn' && coreAfter.epoch === coreEpoch,
    `a trap in the full module: heatmap shows the error, trend and radar drawn again on a fresh full instance (full glue requested ${fullGlue()}×, full wasm ${wasm('kpi_widgets')}×), compare keeps its core instance (epoch ${coreAfter.epoch})`);
  errors.splice(consoleBefore2);
  await page.screenshot({ path: join(root, 'target', 'e2e', 'dashboard', `${tag}-portal.png`), fullPage: true });
  check(errors.length === 0, `no console error${errors.length ? `: ${errors.join(' | ')}` : ''}`);
  await page.close();
}

/**
 * The two peer-statistics kinds from the published bundle (format 4): a `table` of the
 * region's universities with ranks, z-scores and robust z, and `gaps` across regions,
 * added to the portal page; both drawn with the chart module alone (no engine, no
 * record-level file), each with its own data table.
 */
export async function testPortalTableGaps(browser, base, tag, { root, check }) {
  console.log(`\n${tag}: ${base}/portal.html + table and gaps (published bundle)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  const errors = watchConsole(page);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(`${base}/portal.html`);
  await poll(page, widgetsSettled, 'kpi-widget');
  await page.evaluate(() => {
    const main = document.querySelector('main');
    for (const [kind, extra] of [['table', {}], ['gaps', { by: 'region' }]]) {
      const w = document.createElement('kpi-widget');
      for (const [k, v] of Object.entries({ kind, src: '/kpi-data/manifest.json', org: '960940074024', indicator: 'employment_rate', lang: 'en', height: '420', ...extra })) w.setAttribute(k, v);
      main.append(w);
    }
  });
  await poll(page, widgetsSettled, 'kpi-widget');
  const states = await page.evaluate(() => [...document.querySelectorAll('kpi-widget')].map((w) => `${w.getAttribute('kind')}:${w.getAttribute('data-kpi-state')}`));
  check(states.length === 5 && states.every((s) => s.endsWith(':drawn')), `portal widgets with table and gaps ${states.join(', ')}`);
  const engine = requested.filter((p) => /kpi_engine|kpi-datasets|kpi-worker|\.csv$/.test(p));
  check(engine.length === 0, `table and gaps from the bundle: no engine and no record file (${engine.join(', ') || 'none'})`);
  check(requested.some((p) => /^\/kpi-data\/gaps\/university\/employment_rate\.json$/.test(p)), 'gaps read gaps/university/employment_rate.json');
  const read = await page.evaluate(() => ['table', 'gaps'].map((kind) => {
    const w = document.querySelector(`kpi-widget[kind="${kind}"]`);
    w.shadowRoot.querySelector('[aria-controls=kpi-table]').click();
    const t = w.shadowRoot.querySelector('#kpi-table table');
    return {
      kind,
      cols: [...t.querySelectorAll('thead th[scope=col]')].map((th) => th.textContent),
      rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
    };
  }));
  const [table, gaps] = read;
  const z = table.cols.indexOf('z');
  const zs = table.rows.map((r) => Number(String(r[z] ?? '').replace('−', '-'))).filter((v) => Number.isFinite(v));
  check(z > 0 && table.cols.includes('Robust z') && zs.length >= 2 && zs.some((v) => v < 0) && zs.some((v) => v > 0),
    `table from the bundle: ${table.rows.length} rows, columns ${table.cols.join(' | ')}, z-scores of both signs (${zs.slice(0, 4).join(', ')}…)`);
  check(gaps.rows.length >= 2, `gaps from the bundle: ${gaps.rows.length} groups (${gaps.rows.map((r) => r[0]).slice(0, 4).join(', ')}…)`);
  await page.screenshot({ path: join(root, 'target', 'e2e', 'dashboard', `${tag}-portal-table-gaps.png`), fullPage: true });
  check(errors.length === 0, `no console error${errors.length ? `: ${errors.join(' | ')}` : ''}`);
  await page.close();
}

/**
 * A portal-like page drawing from record files in the browser (e2e/files.html: the
 * private-analysis path): one download of each file for three widgets, one worker (or
 * the engine on the main thread), a new language without asking the engine again.
 */
export async function testFilesPage(browser, base, tag, { root, check, noWorker = false }) {
  console.log(`\n${tag}: ${base}/e2e/files.html${noWorker ? ' (no Worker: the engine runs on the main thread)' : ''}`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  if (noWorker) await page.addInitScript(() => { window.Worker = undefined; });
  // Counts the requests sent to the dataset worker, by operation.
  await page.addInitScript(() => {
    window.__kpiOps = [];
    if (!window.Worker) return;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      window.__kpiOps.push(message?.op);
      return post.call(this, message, ...rest);
    };
  });
  let workers = 0;
  page.on('worker', () => { workers += 1; });
  const errors = watchConsole(page);
  let fetches = 0;
  page.on('request', (r) => { if (r.url().endsWith('/data/observations.csv')) fetches += 1; });
  await page.goto(`${base}/e2e/files.html`);
  await poll(page, widgetsSettled, 'kpi-widget');
  const states = await page.evaluate(() => [...document.querySelectorAll('kpi-widget')].map((w) => `${w.getAttribute('kind')}:${w.getAttribute('data-kpi-state')}`));
  check(states.length === 3 && states.every((s) => s.endsWith(':drawn')), `portal widgets ${states.join(', ')}`);
  check(fetches === 1, `one download of each file for three widgets (${fetches})`);
  check(workers === (noWorker ? 0 : 1), `${workers} dataset worker(s)`);
  // A new language is a new layout of the same chart input: no request to the engine.
  const before = await page.evaluate(() => window.__kpiOps.filter((op) => op === 'chart').length);
  await page.evaluate(() => document.querySelector('kpi-widget[kind="trend"]').setAttribute('lang', 'ru'));
  const relabelled = await poll(page, () => {
    const w = document.querySelector('kpi-widget[kind="trend"]');
    const label = w.shadowRoot.getElementById('kpi-chart')?.getAttribute('aria-label') ?? '';
    return w.getAttribute('data-kpi-state') === 'drawn' && /Трудоустройство/.test(label) ? label : null;
  }, null, 5000).catch(() => null);
  const after = await page.evaluate(() => window.__kpiOps.filter((op) => op === 'chart').length);
  check(relabelled && (noWorker || (before > 0 && after === before)),
    `lang kk → ru redraws the trend in Russian without asking the engine again (${before} → ${after} chart requests): "${(relabelled ?? '').slice(0, 60)}"`);
  await page.screenshot({ path: join(root, 'target', 'e2e', 'dashboard', `${tag}-files${noWorker ? '-no-worker' : ''}.png`), fullPage: true });
  check(errors.length === 0, `no console error${errors.length ? `: ${errors.join(' | ')}` : ''}`);
  await page.close();
}

/**
 * The Kyrgyz portal page (demo/portal-ky.html, from the published bundle of the Kyrgyz
 * sample in demo/data-kg, served under /kpi-data-kg/): three widgets with lang="ky" draw
 * the Naryn college with Kyrgyz labels (ң ө ү among them) in the canvas, the key
 * instructions and the export menu; no data file other than the bundle's is fetched, and
 * no engine; a screenshot of the page and of each widget for the record.
 */
export async function testPortalKy(browser, base, tag, { root, check }) {
  console.log(`\n${tag}: ${base}/portal-ky.html (published bundle)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  const errors = watchConsole(page);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(`${base}/portal-ky.html`);
  await poll(page, widgetsSettled, 'kpi-widget');
  // The page, its stylesheet, the widget module (/kpi/) and bundle files: nothing else.
  const other = requested.filter((p) => !(p === '/portal-ky.html' || p.startsWith('/assets/') || p.startsWith('/kpi/') || p.startsWith('/kpi-data-kg/')));
  check(other.length === 0, `no data file other than the bundle's is fetched (${other.join(', ') || 'none'})`);
  const bundleFiles = requested.filter((p) => p.startsWith('/kpi-data-kg/'));
  check(bundleFiles.includes('/kpi-data-kg/manifest.json') && bundleFiles.some((p) => p.startsWith('/kpi-data-kg/orgs/')),
    `Kyrgyz bundle files read: ${[...new Set(bundleFiles)].join(', ')}`);
  const engine = requested.filter((p) => /kpi_engine|kpi-datasets|kpi-worker/.test(p));
  check(engine.length === 0, `the engine is never downloaded (${engine.join(', ') || 'none'})`);
  const seen = await page.evaluate(() => [...document.querySelectorAll('kpi-widget')].map((w) => ({
    kind: w.getAttribute('kind'),
    state: w.getAttribute('data-kpi-state'),
    lang: w.language,
    label: w.shadowRoot.getElementById('kpi-chart')?.getAttribute('aria-label') ?? '',
    keys: w.shadowRoot.querySelector('[id$="keys"], .keys')?.textContent ?? '',
    text: w.shadowRoot.textContent ?? '',
  })));
  check(seen.length === 3 && seen.every((w) => w.state === 'drawn' && w.lang === 'ky'),
    `Kyrgyz portal widgets ${seen.map((w) => `${w.kind}:${w.state}:${w.lang}`).join(', ')}`);
  for (const w of seen) {
    check(w.label.includes('Бүтүрүүчүлөрдүн жумушка орношуусу'), `${w.kind}: Kyrgyz indicator name in the aria-label: "${w.label.slice(0, 90)}"`);
    check(/[ңөү]/.test(w.label) && !/[әғқұһі]/i.test(w.label), `${w.kind}: Kyrgyz letters, no Kazakh-only ones, in the label`);
    check(w.text.includes('Экспорттоо') || w.text.includes('жебе'), `${w.kind}: widget chrome in Kyrgyz`);
  }
  const trend = seen.find((w) => w.kind === 'trend');
  check(/окуу жылы|-жылдары|тенденция|Тенденция/.test(trend?.label ?? ''), `trend: Kyrgyz summary ("${(trend?.label ?? '').slice(0, 120)}")`);
  const compare = seen.find((w) => w.kind === 'compare');
  check(/уюмдун ичинен \d+-орун|Нааматов/.test(compare?.label ?? ''), `compare: rank in Kyrgyz ("${(compare?.label ?? '').slice(0, 160)}")`);
  const dir = join(root, 'target', 'e2e', 'dashboard');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${tag}-portal-ky.png`), fullPage: true });
  const ids = await page.evaluate(() => [...document.querySelectorAll('kpi-widget')].map((w, i) => { w.id = w.id || `ky-${w.getAttribute('kind')}-${i}`; return w.id; }));
  for (const id of ids) await page.locator(`#${id}`).screenshot({ path: join(dir, `${tag}-portal-ky-${id}.png`) });
  check(errors.length === 0, `no console error${errors.length ? `: ${errors.join(' | ')}` : ''}`);
  await page.close();
}

/**
 * The threaded engine (kpi_engine_mt, docs/widgets.md "Two cores") against the plain one:
 * the demo sample loaded through a dataset worker in the cross-origin isolated dashboard page
 * (a pool worker shares the load) and in a portal page, which is not isolated (the plain
 * module, one thread). The validation report (every issue, in order) and the ranking of
 * every organisation must be the same text.
 */
export async function testThreadedEngine(browser, base, tag, { check }) {
  console.log(`\n${tag}: the threaded engine (isolated dashboard page) against the plain one (portal page)`);
  const loadIn = async (url) => {
    const page = await browser.newPage();
    const errors = watchConsole(page);
    await page.goto(url);
    const r = await page.evaluate(async (files) => {
      const sources = await Promise.all(files.map(async (name) => ({ name, bytes: new Uint8Array(await (await fetch(`/data/${name}`)).arrayBuffer()) })));
      const w = new Worker('/kpi/kpi-worker.js', { type: 'module' });
      let seq = 0;
      const pending = new Map();
      w.onmessage = (e) => { const p = pending.get(e.data.id); if (p && !e.data.progress) { pending.delete(e.data.id); e.data.ok ? p.resolve(e.data.result) : p.reject(new Error(JSON.stringify(e.data.error))); } };
      const call = (op, args) => new Promise((resolve, reject) => { const id = ++seq; pending.set(id, { resolve, reject }); w.postMessage({ id, op, args }); });
      const loaded = await call('load', { files: sources });
      const out = {
        isolated: self.crossOriginIsolated,
        cores: navigator.hardwareConcurrency,
        threads: loaded.threads,
        organisations: loaded.organisations,
        info: JSON.stringify(await call('info', { handle: loaded.handle, lang: 'en' })),
        ranking: await call('ranking', { handle: loaded.handle, peers: {}, lang: 'kk' }),
      };
      w.terminate();
      return out;
    }, SAMPLE);
    await page.close();
    return { ...r, errors };
  };
  const mt = await loadIn(`${base}/index.html`);
  const plain = await loadIn(`${base}/portal.html`);
  check(mt.isolated && !plain.isolated, `the dashboard page is cross-origin isolated (${mt.isolated}), the portal page is not (${plain.isolated})`);
  check(plain.threads === 1 && (mt.cores < 2 || mt.threads >= 2),
    `the load uses ${mt.threads} thread(s) in the isolated page (${mt.cores} cores), ${plain.threads} in the portal page`);
  check(mt.organisations === plain.organisations && mt.organisations > 0 && mt.info === plain.info,
    `same dataset and validation report on ${mt.threads} thread(s) as on one (${mt.organisations} organisations, ${mt.info.length} characters of report)`);
  check(mt.ranking === plain.ranking && JSON.parse(mt.ranking).length > 0,
    `same risk ranking on ${mt.threads} thread(s) as on one (${JSON.parse(mt.ranking).length} organisations)`);
  check(mt.errors.length + plain.errors.length === 0, `no console error${mt.errors.length + plain.errors.length ? `: ${[...mt.errors, ...plain.errors].join(' | ')}` : ''}`);
}

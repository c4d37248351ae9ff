// Accessibility checks of <kpi-widget> in headless Chromium (issue 16), run by run.mjs:
// - every kind in every theme (and at 320 CSS px) is drawn with the canvas text calls
//   recorded: no text under 12 CSS px; a screenshot of each in target/e2e/<tag>/a11y/;
// - the canvas background is the theme's, sampled from the pixels.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

/** Fails after `ms` instead of waiting forever (a DevTools call the browser never answers
 *  would otherwise hang the whole suite). */
function bounded(promise, what, ms = 30_000) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const THEMES = ['light', 'dark', 'high-contrast'];
/** Background of each built-in theme (kpi-chart/src/theme.rs). */
const BACKGROUND = { light: [255, 255, 255], dark: [0x15, 0x19, 0x1e], 'high-contrast': [0, 0, 0] };

/**
 * Records every `fillText` on a canvas: the CSS font size in device pixels divided by the
 * canvas's device pixels per CSS pixel (its backing width over its CSS width).
 */
function recordText() {
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function recorded(text, x, y, ...rest) {
    const c = this.canvas;
    const m = /(\d+(?:\.\d+)?)px/.exec(this.font);
    const scale = c.clientWidth > 0 ? c.width / c.clientWidth : 1;
    const t = this.getTransform();
    const px = m ? (Number(m[1]) * Math.hypot(t.a, t.b)) / scale : NaN;
    (c.__texts ??= []).push({ text: String(text), px });
    return fill.call(this, text, x, y, ...rest);
  };
}

/**
 * Contrast against the canvas background of the marks of widget `id`, from its pixels:
 * peer bars of `compare`, bins of a histogram (the most frequent non-background colour
 * along the middle of each mark), dots of `scatter` (the pixel at the centre). Returns
 * [{id, color, ratio}] of the marks sampled.
 */
async function markContrast(page, id) {
  return page.evaluate((id) => {
    const w = document.getElementById(id);
    const c = w.shadowRoot.querySelector('canvas');
    const ctx = c.getContext('2d');
    const k = c.width / w._size.width;
    const px = (x, y) => [...ctx.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data.slice(0, 3)];
    const bg = px(1, 1);
    const lum = ([r, g, b]) => {
      const lin = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const ch = w._chart;
    const own = ch.navigate(undefined, 'o');
    const out = [];
    for (let i = 0; i < ch.pointCount() && out.length < 12; i++) {
      const p = ch.point(i);
      if (i === own || !p.bounds) continue;
      let color = null;
      if (/^(bar|bin):/.test(p.id)) {
        const vertical = p.id.startsWith('bin:');
        const counts = new Map();
        const n = 40;
        for (let s = 1; s < n; s++) {
          const x = vertical ? p.bounds.x + p.bounds.w / 2 : p.bounds.x + (p.bounds.w * s) / n;
          const y = vertical ? p.bounds.y + (p.bounds.h * s) / n : p.bounds.y + p.bounds.h / 2;
          const v = px(x, y);
          if (v.every((ch, j) => Math.abs(ch - bg[j]) <= 2)) continue;
          const key = v.join(',');
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const best = [...counts].sort((a, b) => b[1] - a[1])[0];
        if (best && best[1] >= 5) color = best[0].split(',').map(Number);
      } else if (p.id.startsWith('point:')) {
        const o = ch.point(own);
        if (o && Math.hypot(o.anchor.x - p.anchor.x, o.anchor.y - p.anchor.y) < 20) continue;
        color = px(p.anchor.x, p.anchor.y);
      }
      if (color) out.push({ id: p.id, color: `rgb(${color.join(',')})`, ratio: ratio(color, bg) });
    }
    return out;
  }, id);
}

/** Redraws widget `id` and returns the texts drawn: [{text, px}]. */
async function drawnTexts(page, id) {
  return page.evaluate((id) => {
    const w = document.getElementById(id);
    const c = w.shadowRoot.querySelector('canvas');
    c.__texts = [];
    w.redraw();
    return c.__texts;
  }, id);
}

async function setAll(page, name, value) {
  await page.evaluate(async ({ name, value }) => {
    const all = [...document.querySelectorAll('kpi-widget')];
    for (const w of all) {
      if (value === null) w.style.removeProperty(name);
      else if (name === 'width') w.style.width = value;
      else w.setAttribute(name, value);
    }
    await Promise.all(all.map((w) => w.updateComplete));
  }, { name, value });
}

/** Text sizes and theme backgrounds of every kind in every theme. Returns the figures. */
export async function testTextSizes(browser, base, tag, { root, check, poll }) {
  console.log(`\n${tag}: text sizes of every kind in every theme (${base}/e2e/kinds.html)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
  await page.addInitScript(recordText);
  await page.goto(`${base}/e2e/kinds.html`);
  await poll(page, () => document.body.dataset.ready === 'true', null, 30_000);
  const dir = join(root, 'target', 'e2e', tag, 'a11y');
  mkdirSync(dir, { recursive: true });
  const ids = await page.evaluate(() => [...document.querySelectorAll('kpi-widget')].map((w) => w.id));
  const figures = {};
  for (const [theme, width] of [...THEMES.map((t) => [t, null]), ['light', '320px']]) {
    await setAll(page, 'theme', theme);
    await setAll(page, 'width', width);
    for (const id of ids) {
      const texts = await drawnTexts(page, id);
      const sizes = texts.map((t) => t.px);
      const min = Math.min(...sizes);
      const small = texts.filter((t) => !(t.px >= 12 - 1e-6));
      const key = `${id} ${theme}${width ? ` ${width}` : ''}`;
      figures[key] = min;
      check(texts.length > 0 && small.length === 0,
        `${key}: ${texts.length} texts, smallest ${min.toFixed(2)} CSS px${small.length ? `; under 12: ${JSON.stringify(small.slice(0, 4))}` : ''}`);
      const bg = await page.evaluate((id) => {
        const c = document.getElementById(id).shadowRoot.querySelector('canvas');
        return [...c.getContext('2d').getImageData(1, 1, 1, 1).data.slice(0, 3)];
      }, id);
      const want = BACKGROUND[theme];
      check(bg.every((v, i) => Math.abs(v - want[i]) <= 2), `${key}: canvas background ${JSON.stringify(bg)} is the theme's`);
      if (id === 'heatmap' && theme === 'light' && !width) {
        // The heat map's table is its matrix: a row header per unit, a column per indicator,
        // each cell the value shown in that cell's tooltip.
        const m = await page.evaluate((id) => {
          const w = document.getElementById(id);
          const root = w.shadowRoot;
          const ch = w._chart;
          const heads = [...root.querySelectorAll('thead th')].map((th) => th.textContent);
          const body = [...root.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => [c.tagName, c.textContent]));
          let mismatches = 0;
          let compared = 0;
          let example = null;
          for (let i = 0; i < ch.pointCount(); i++) {
            const p = ch.point(i);
            if (!p.id.startsWith('cell:')) continue;
            const row = body.find((r) => r[0][1] === p.label);
            const col = heads.indexOf(p.series);
            compared += 1;
            if (!row || col < 0 || row[col][1] !== (p.value_text ?? p.valueText)) {
              mismatches += 1;
              if (!example) example = { label: p.label, series: p.series, valueText: p.value_text, found: row && col >= 0 ? row[col][1] : null };
            }
          }
          return { heads, rows: body.length, rowHeads: body.filter((r) => r[0][0] === 'TH').length, compared, mismatches, example };
        }, id);
        check(m.rows > 5 && m.rowHeads === m.rows && m.compared > 20 && m.mismatches === 0,
          `heatmap: table is the matrix (${m.rows} units × ${m.heads.length - 1} indicators, ${m.compared - m.mismatches} of ${m.compared} cells equal to their tooltips${m.example ? `; ${JSON.stringify(m.example)}` : ''})`);
      }
      if (['compare', 'scatter', 'distribution-histogram'].includes(id)) {
        const marks = await markContrast(page, id);
        const worst = marks.reduce((m, x) => (x.ratio < m.ratio ? x : m), { ratio: Infinity });
        figures[`${key} marks`] = worst.ratio;
        check(marks.length >= 3 && worst.ratio >= 3, `${key}: ${marks.length} marks sampled from the pixels, lowest contrast ${worst.ratio.toFixed(2)}:1 (${worst.color})`);
      }
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      await page.locator(`#${id}`).screenshot({ path: join(dir, `${id}-${theme}${width ? `-${width}` : ''}.png`) });
    }
  }
  await setAll(page, 'width', null);
  await page.close();
  return figures;
}

const shadow = (id) => document.getElementById(id).shadowRoot;

/** The pixels of widget `id`'s canvas, hashed (FNV-1a over the RGBA bytes). */
async function pixelHash(page, id) {
  return page.evaluate((id) => {
    const c = document.getElementById(id).shadowRoot.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0x811c9dc5;
    for (let i = 0; i < d.length; i += 7) { h ^= d[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return `${c.width}x${c.height}:${h.toString(16)}`;
  }, id);
}

/**
 * Screen-reader layer, keyboard, tooltips (WCAG 1.4.13), the export menu, forced colours,
 * CSS zoom and the content language, on demo/e2e/widgets.html.
 */
export async function testInteraction(browser, base, tag, { root, check, poll }) {
  console.log(`\n${tag}: screen reader, keyboard, tooltip, menu, forced colours, zoom (${base}/e2e/widgets.html)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
  await page.goto(`${base}/e2e/widgets.html`);
  await poll(page, () => [...document.querySelectorAll('kpi-widget')].every((w) => ['drawn', 'error'].includes(w.getAttribute('data-kpi-state'))), null, 30_000);
  const dir = join(root, 'target', 'e2e', tag, 'a11y');
  mkdirSync(dir, { recursive: true });
  const id = 'trend-kk';
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();

  // The chart is a group with the role description "chart" (Highcharts' pattern), named by
  // the summary (chart type first) and described by the key instructions; the canvas is
  // only the picture (aria-hidden). It used to be role="img", which screen readers in
  // browse mode treat as one opaque image that keeps the arrow keys to itself.
  const names = await page.evaluate((id) => {
    const root = document.getElementById(id).shadowRoot;
    const g = root.getElementById('kpi-chart');
    const desc = root.getElementById(g.getAttribute('aria-describedby'));
    const c = root.querySelector('canvas');
    return {
      role: g.getAttribute('role'), roledesc: g.getAttribute('aria-roledescription'), label: g.getAttribute('aria-label'),
      keys: desc?.textContent ?? null, lang: desc?.lang, canvasHidden: c.getAttribute('aria-hidden'), canvasTab: c.tabIndex,
    };
  }, id);
  check(names.role === 'group' && names.roledesc === 'диаграмма' && names.canvasHidden === 'true' && names.canvasTab < 0,
    `${id}: a group with aria-roledescription "${names.roledesc}", the canvas aria-hidden and not a tab stop`);
  check(names.label?.startsWith('Жылдар бойынша сызықтық график: '), `${id}: accessible name starts with the chart type ("${names.label?.slice(0, 60)}")`);
  check(/Home/.test(names.keys ?? '') && /PageUp/.test(names.keys ?? '') && names.lang === 'kk', `${id}: key instructions as the description (${names.lang}: "${names.keys?.slice(0, 50)}…")`);

  // Browse mode (virtual cursor): every point is in the accessibility tree as a button
  // whose name is the point's tooltip, inside the named chart group (Chromium's own tree,
  // which screen readers read).
  const cdpTree = await page.context().newCDPSession(page);
  const { nodes } = await cdpTree.send('Accessibility.getFullAXTree');
  const visible = nodes.filter((n) => !n.ignored);
  const axNames = new Set(visible.filter((n) => n.role?.value === 'button').map((n) => n.name?.value));
  const browse = await page.evaluate((id) => {
    const ch = document.getElementById(id)._chart;
    return Array.from({ length: ch.pointCount() }, (_, i) => ch.point(i).tooltip.join('. '));
  }, id);
  const missing = browse.filter((t) => !axNames.has(t));
  // (The role description is there; CDP returns its text in the wrong encoding.)
  const group = visible.find((n) => n.role?.value === 'group' && n.name?.value === names.label
    && n.properties?.some((p) => p.name === 'roledescription' && p.value?.value) && n.description?.value === names.keys);
  check(browse.length > 5 && missing.length === 0, `${id}: all ${browse.length} points are buttons in the accessibility tree, named by their tooltip${missing.length ? `; missing ${JSON.stringify(missing.slice(0, 2))}` : ''}`);
  check(Boolean(group), `${id}: the accessibility tree has the chart group with its name, role description and the key instructions`);
  const canvasInTree = visible.some((n) => n.role?.value === 'image' && n.name?.value === names.label);
  check(!canvasInTree, `${id}: no opaque image with the summary in the tree (the canvas is hidden)`);
  await cdpTree.detach();

  // Focus mode: Tab reaches the chart (one tab stop), the arrow keys move the focus between
  // the point proxies, and the focused proxy's name is the point's tooltip (what a screen
  // reader says on focus); the tooltip overlay shows the same point.
  const focused = (id) => page.evaluate((id) => {
    const root = document.getElementById(id).shadowRoot;
    const a = root.activeElement;
    const tip = root.querySelector('.tooltip');
    return a && a.closest('.points') ? { i: Number(a.dataset.i), text: a.textContent, tip: tip.hidden ? null : tip.textContent, stops: root.querySelectorAll('.points [tabindex="0"]').length } : null;
  }, id);
  await page.evaluate((id) => { const w = document.getElementById(id); w.tabIndex = -1; w.focus(); }, id);
  await page.keyboard.press('Tab');
  const entered = await focused(id);
  const start = await page.evaluate((id) => document.getElementById(id)._chart.navigate(undefined, 'Home'), id);
  check(entered !== null && entered.i === start && entered.stops === 1, `${id}: Tab enters the chart on its first point (${entered?.i}), one tab stop`);
  await page.keyboard.press('ArrowRight');
  const moved = await focused(id);
  const expected = await page.evaluate(({ id, from }) => {
    const ch = document.getElementById(id)._chart;
    const i = ch.navigate(from, 'ArrowRight');
    return { i, text: ch.point(i).tooltip.join('. '), tip: ch.point(i).tooltip.join('') };
  }, { id, from: entered?.i });
  check(moved !== null && moved.i === expected.i && moved.text === expected.text && moved.tip === expected.tip && moved.stops === 1,
    `${id}: ArrowRight focuses the next point, announced as "${moved?.text?.slice(0, 70)}"`);
  await page.keyboard.press('End');
  const atEnd = await focused(id);
  const endWant = await page.evaluate(({ id, from }) => document.getElementById(id)._chart.navigate(from, 'End'), { id, from: moved?.i });
  check(atEnd !== null && atEnd.i === endWant && atEnd.i !== moved?.i, `${id}: End focuses the last point ("${atEnd?.text?.slice(0, 60)}")`);
  await page.keyboard.press('Escape');
  const afterEscape = await focused(id);
  check(afterEscape !== null && afterEscape.tip === null, `${id}: Escape hides the tooltip, the focus stays on the point`);
  await page.keyboard.press('Tab');
  const leftChart = await focused(id);
  const onToolbar = await page.evaluate((id) => document.getElementById(id).shadowRoot.activeElement?.closest('.toolbar') !== null, id);
  check(leftChart === null && onToolbar, `${id}: Tab leaves the chart for the toolbar (one tab stop for all points)`);
  await page.keyboard.press('Shift+Tab');
  const back = await focused(id);
  check(back !== null && back.i === atEnd?.i, `${id}: Shift+Tab comes back to the point last focused (${back?.i})`);
  await page.keyboard.press('Escape');
  await page.evaluate((id) => { document.getElementById(id).shadowRoot.activeElement?.blur(); document.getElementById(id).removeAttribute('tabindex'); }, id);

  // The O key and Home in compare: the unit, then the peer median.
  const cmp = 'compare-ru';
  await page.evaluate((id) => document.getElementById(id).shadowRoot.querySelector('.points [tabindex="0"]').focus(), cmp);
  await page.keyboard.press('o');
  const own = await page.evaluate((id) => {
    const w = document.getElementById(id);
    return w.shadowRoot.querySelector('.tooltip').hidden ? null : w.shadowRoot.querySelector('.tooltip').textContent;
  }, cmp);
  const ownWant = await page.evaluate((id) => {
    const ch = document.getElementById(id)._chart;
    return ch.point(ch.navigate(undefined, 'o')).tooltip.join('');
  }, cmp);
  check(own !== null && own === ownWant && ownWant.length > 0, `${cmp}: O jumps to the organisation ("${own?.slice(0, 60)}")`);
  await page.keyboard.press('Home');
  const median = await page.evaluate((id) => document.getElementById(id).shadowRoot.querySelector('.tooltip').textContent, cmp);
  const medianFocus = await focused(cmp);
  check(/Медиана/.test(median) && /Медиана/.test(medianFocus?.text ?? ''), `${cmp}: Home reaches the peer median ("${median.slice(0, 50)}")`);
  await page.keyboard.press('Escape');
  await page.evaluate((id) => document.getElementById(id).shadowRoot.activeElement?.blur(), cmp);

  // WCAG 1.4.13: a hover tooltip is hoverable and Escape dismisses it without canvas focus.
  const pt = await page.evaluate((id) => {
    const w = document.getElementById(id);
    const ch = w._chart;
    const r = w.shadowRoot.querySelector('canvas').getBoundingClientRect();
    const i = ch.navigate(undefined, 'End');
    const p = ch.point(i);
    return { x: r.left + p.anchor.x, y: r.top + p.anchor.y, text: p.tooltip.join('') };
  }, id);
  await page.mouse.move(pt.x, pt.y);
  await poll(page, (id) => !document.getElementById(id).shadowRoot.querySelector('.tooltip').hidden, id, 3000).catch(() => {});
  const box = await page.evaluate((id) => {
    const t = document.getElementById(id).shadowRoot.querySelector('.tooltip');
    const r = t.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2, text: t.textContent, hidden: t.hidden };
  }, id);
  check(!box.hidden && box.text === pt.text, `${id}: hover shows the tooltip ("${box.text.slice(0, 50)}")`);
  await page.mouse.move(box.x, box.y, { steps: 4 });
  await new Promise((r) => setTimeout(r, 150));
  const onTip = await page.evaluate((id) => {
    const t = document.getElementById(id).shadowRoot.querySelector('.tooltip');
    return t.hidden ? null : t.textContent;
  }, id);
  check(onTip === pt.text, `${id}: the pointer can move onto the tooltip, which stays the same`);
  const focusOutside = await page.evaluate(() => { document.activeElement?.blur?.(); return document.activeElement?.tagName; });
  await page.keyboard.press('Escape');
  const dismissed = await page.evaluate((id) => document.getElementById(id).shadowRoot.querySelector('.tooltip').hidden, id);
  check(dismissed, `${id}: Escape dismisses the hover tooltip while focus is on ${focusOutside}`);
  await page.mouse.move(1, 1);

  // Export menu: arrow keys, Home/End, Escape, and focus back on the button after a choice.
  const menuFocus = () => page.evaluate((id) => {
    const root = document.getElementById(id).shadowRoot;
    const a = root.activeElement;
    if (!a) return 'none';
    if (a.getAttribute('role') === 'menuitem') return `item${[...root.querySelectorAll('[role=menuitem]')].indexOf(a)}`;
    return a.getAttribute('aria-haspopup') === 'menu' ? 'button' : a.tagName.toLowerCase();
  }, id);
  await page.evaluate((id) => document.getElementById(id).shadowRoot.querySelector('.toolbar > button[aria-haspopup=menu]').focus(), id);
  const seq = [];
  for (const key of ['ArrowDown', 'ArrowDown', 'End', 'Home', 'ArrowUp']) {
    await page.keyboard.press(key);
    seq.push(await menuFocus());
  }
  check(seq.join(',') === 'item0,item1,item2,item0,item2', `${id}: menu keys move focus (${seq.join(',')})`);
  await page.keyboard.press('Escape');
  const afterEsc = await menuFocus();
  check(afterEsc === 'button', `${id}: Escape closes the menu, focus on the button (${afterEsc})`);
  await page.evaluate(() => { window.__saved = []; HTMLAnchorElement.prototype.click = function saved() { window.__saved.push(this.download); }; });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await poll(page, () => window.__saved.length > 0, null, 3000).catch(() => {});
  const afterPick = await menuFocus();
  const saved = await page.evaluate(() => window.__saved);
  check(afterPick === 'button' && saved.length === 1 && saved[0].endsWith('.csv'), `${id}: after choosing CSV (${saved[0]}) focus returns to the button (${afterPick})`);

  // The data table: shown by the Table toggle, real headers, row headers, sortable.
  const cmpTable = await page.evaluate(async (id) => {
    const w = document.getElementById(id);
    const root = w.shadowRoot;
    const wrap = root.getElementById('kpi-table');
    const toggle = root.querySelector('[aria-controls=kpi-table]');
    const hiddenBefore = wrap.getBoundingClientRect().height <= 1;
    toggle.click();
    const visible = wrap.getBoundingClientRect().height > 50;
    const heads = [...root.querySelectorAll('thead th')].map((th) => th.textContent);
    const rowHeads = root.querySelectorAll('tbody th[scope=row]').length;
    const rows = root.querySelectorAll('tbody tr').length;
    // Sort by the value column (its exact numbers), descending on the second click.
    const col = heads.findIndex((h) => /Значение/.test(h));
    const sortBtn = () => root.querySelectorAll('thead th button')[col];
    sortBtn().click();
    sortBtn().click();
    const sorted = [...root.querySelectorAll('tbody tr')].map((tr) => tr.children[col].textContent);
    const ariaSort = root.querySelectorAll('thead th')[col].getAttribute('aria-sort');
    const exact = w._chart.table();
    const vi = exact.keys.indexOf('value');
    const want = exact.rows.map((r, i) => [exact.values[i][vi], r[vi]])
      .sort((a, b) => {
        const [x, y] = [a[0], b[0]];
        if (typeof x !== 'number' || typeof y !== 'number') return (typeof x === 'number' ? -1 : 0) + (typeof y === 'number' ? 1 : 0);
        return y - x;
      })
      .map((x) => x[1]);
    toggle.click();
    return { hiddenBefore, visible, hiddenAfter: wrap.getBoundingClientRect().height <= 1, heads, rowHeads, rows, ariaSort, sortedOk: JSON.stringify(sorted) === JSON.stringify(want), first: sorted.slice(0, 3), want: want.slice(0, 3) };
  }, cmp);
  check(cmpTable.hiddenBefore && cmpTable.visible && cmpTable.hiddenAfter, `${cmp}: the Table toggle shows and hides the data table`);
  check(new Set(cmpTable.heads).size === cmpTable.heads.length && !cmpTable.heads.includes('…') && !cmpTable.heads.includes(''), `${cmp}: distinct, named column headers (${cmpTable.heads.join(' | ')})`);
  check(cmpTable.rowHeads === cmpTable.rows && cmpTable.rows > 30, `${cmp}: every row has a row header (${cmpTable.rowHeads} of ${cmpTable.rows})`);
  check(cmpTable.sortedOk && cmpTable.ariaSort === 'descending', `${cmp}: sorting by value, descending (${cmpTable.ariaSort}): ${cmpTable.first.join(', ')}`);

  // A data change is announced with the new summary.
  await page.evaluate(() => {
    const w = document.getElementById('trend-attr');
    w.data = { ...w.data, points: [...w.data.points, { year: 2024, value: 95.5 }] };
  });
  const update = await poll(page, () => {
    const t = document.getElementById('trend-attr').shadowRoot.querySelector('[aria-live=polite]').textContent;
    return t.startsWith('Диаграмма обновлена') ? t : null;
  }, null, 5000).catch(() => null);
  check(update !== null && update.includes('2024–2025'), `trend-attr: a data change is announced ("${update?.slice(0, 90)}")`);

  // lang="fr": drawn in the default language (kk), and the content says so.
  const fr = await page.evaluate(async () => {
    const w = document.createElement('kpi-widget');
    w.id = 'fr';
    w.setAttribute('kind', 'trend');
    w.setAttribute('lang', 'fr');
    w.data = document.getElementById('trend-attr').data;
    document.querySelector('main').append(w);
    await w.updateComplete;
    const root = w.shadowRoot;
    const out = { frame: root.querySelector('.frame').lang, table: root.querySelector('table').parentElement.lang, label: root.getElementById('kpi-chart').getAttribute('aria-label') };
    w.remove();
    return out;
  });
  check(fr.frame === 'kk' && fr.table === 'kk' && fr.label.includes('Сабаққа қатысу'), `lang="fr": content lang="${fr.frame}", drawn in Kazakh ("${fr.label.slice(0, 50)}")`);

  // Forced colours and more contrast switch to the high-contrast theme; theme="auto" follows
  // the dark scheme.
  const cdp = await page.context().newCDPSession(page);
  const before = await pixelHash(page, id);
  const themeOf = (id) => page.evaluate((id) => document.getElementById(id).dataset.kpiTheme, id);
  await bounded(cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] }), 'a DevTools call');
  await poll(page, (id) => document.getElementById(id).dataset.kpiTheme !== 'light', id, 5000).catch(() => {});
  await page.evaluate((id) => document.getElementById(id).updateComplete, id);
  const forced = await pixelHash(page, id);
  const forcedTheme = await themeOf(id);
  check(forced !== before && forcedTheme !== undefined, `${id}: forced-colors emulation changes the pixels (theme ${forcedTheme}; ${before} → ${forced})`);
  await page.locator(`#${id}`).screenshot({ path: join(dir, `${id}-forced-colors.png`) });
  await bounded(cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-contrast', value: 'more' }] }), 'a DevTools call');
  await poll(page, (id) => document.getElementById(id).dataset.kpiTheme === 'high-contrast', id, 5000).catch(() => {});
  check(await themeOf(id) === 'high-contrast', `${id}: prefers-contrast: more draws the high-contrast theme`);
  await page.evaluate((id) => document.getElementById(id).setAttribute('theme', 'auto'), id);
  await bounded(cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'dark' }] }), 'a DevTools call');
  await poll(page, (id) => document.getElementById(id).dataset.kpiTheme === 'dark', id, 5000).catch(() => {});
  check(await themeOf(id) === 'dark', `${id}: theme="auto" with prefers-color-scheme: dark draws the dark theme`);
  await bounded(cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'light' }] }), 'a DevTools call');
  await poll(page, (id) => document.getElementById(id).dataset.kpiTheme === 'light', id, 5000).catch(() => {});
  check(await themeOf(id) === 'light', `${id}: theme="auto" with a light scheme draws the light theme`);
  await page.evaluate((id) => document.getElementById(id).removeAttribute('theme'), id);
  await bounded(cdp.send('Emulation.setEmulatedMedia', { features: [] }), 'a DevTools call');

  // CSS zoom: drawn at the covered pixels, and the pointer finds the point under it.
  await page.evaluate((id) => { document.getElementById(id).parentElement.style.zoom = '2'; }, id);
  await page.evaluate((id) => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))), id);
  await page.evaluate((id) => document.getElementById(id).redraw(), id);
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();
  const z = await page.evaluate((id) => {
    const w = document.getElementById(id);
    const c = w.shadowRoot.querySelector('canvas');
    const ch = w._chart;
    const r = c.getBoundingClientRect();
    const p = ch.point(ch.navigate(undefined, 'End'));
    // The chart is laid out in CSS pixels (w._size); on screen it covers r.width.
    return { backing: c.width, screen: r.width, css: w._size.width, text: p.tooltip.join(''), ax: p.anchor.x, ay: p.anchor.y, left: r.left, top: r.top };
  }, id);
  const scale = z.screen / z.css;
  check(Math.abs(z.backing - z.screen * 2) <= 2, `${id}: under zoom: 2 the backing store covers the device pixels (${z.backing} for ${z.screen.toFixed(0)} CSS px on screen × dpr 2)`);
  await page.mouse.move(z.left + z.ax * scale, z.top + z.ay * scale);
  await poll(page, (id) => !document.getElementById(id).shadowRoot.querySelector('.tooltip').hidden, id, 3000).catch(() => {});
  const zTip = await page.evaluate((id) => {
    const t = document.getElementById(id).shadowRoot.querySelector('.tooltip');
    return t.hidden ? null : t.textContent;
  }, id);
  check(zTip === z.text, `${id}: under zoom: 2 the pointer finds the point under it ("${zTip?.slice(0, 40)}")`);
  await page.locator(`#${id}`).screenshot({ path: join(dir, `${id}-zoom2.png`) });
  await page.evaluate((id) => { document.getElementById(id).parentElement.style.zoom = ''; }, id);
  await page.mouse.move(1, 1);
  await page.close();
}

/**
 * axe-core (WCAG 2.1 A and AA rules) on the demo pages, widgets drawn: zero violations.
 * Returns the violations found, by page.
 */
export async function testAxe(browser, base, tag, { check, poll, pages }) {
  console.log(`\n${tag}: axe-core on the demo pages`);
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const found = {};
  for (const path of pages) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}${path}`);
    await poll(page, () => {
      const all = [...document.querySelectorAll('kpi-widget')];
      return all.every((w) => ['drawn', 'error'].includes(w.getAttribute('data-kpi-state')));
    }, null, 30_000).catch(() => {});
    // Pages that load a dataset add widgets later: wait until none is loading twice in a row.
    for (let calm = 0, t = 0; calm < 2 && t < 40; t += 1) {
      await new Promise((r) => setTimeout(r, 250));
      const loading = await page.evaluate(() => document.querySelectorAll('kpi-widget:not([data-kpi-state=drawn]):not([data-kpi-state=error])').length);
      calm = loading === 0 ? calm + 1 : 0;
    }
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes.slice(0, 3).map((n) => n.target.join(' ')), summary: v.nodes[0]?.failureSummary?.slice(0, 160) }));
    });
    found[path] = violations;
    check(violations.length === 0, `${path}: ${violations.length} axe violation(s)${violations.length ? `: ${JSON.stringify(violations)}` : ''}`);
    await page.close();
  }
  return found;
}

/** WCAG contrast of two CSS `rgb(…)` colours (an alpha below 1 is not expected here). */
function contrastOf(a, b) {
  const rgb = (css) => (/rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css) ?? []).slice(1, 4).map(Number);
  const lum = ([r, g, bl]) => {
    const lin = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/**
 * A widget of our own in the gallery page (kinds.html), id `probe`, replacing any earlier one:
 * the gallery example `name`'s input drawn as `kind` in `lang` and `theme`, `height` CSS px high
 * (340 unless given), `width` wide when given, first in the gallery when `first`, else last.
 * Resolves to its `data-kpi-state` once drawn.
 */
function placeProbe(page, spec) {
  return page.evaluate(async ({ name, kind, lang, theme, width, height, first }) => {
    const examples = await (await fetch('examples.json')).json();
    const { kind: _k, ...data } = examples.find((e) => e.name === name).input;
    document.getElementById('probe')?.remove();
    const w = document.createElement('kpi-widget');
    w.id = 'probe';
    w.setAttribute('kind', kind);
    w.setAttribute('lang', lang);
    w.setAttribute('theme', theme);
    w.setAttribute('height', String(height ?? 340));
    if (width) w.style.width = width;
    w.data = data;
    const gallery = document.getElementById('gallery');
    if (first) gallery.prepend(w); else gallery.append(w);
    await w.updateComplete;
    return w.getAttribute('data-kpi-state');
  }, spec);
}

/**
 * The gaps closed after the first round of issue 16: the open export menu never covers the
 * plotted data (every theme, and at 320 CSS px), the trend's accessible summary and data
 * table give the significance of both trend tests, and the `table` kind is a real,
 * sortable HTML table (keyboard sorting, aria-sort, row headers, reasons, contrast).
 * Screenshots in target/e2e/<tag>/a11y/.
 */
export async function testGaps(browser, base, tag, { root, check, poll }) {
  console.log(`\n${tag}: export menu placement, trend significance, the table kind (${base}/e2e/kinds.html)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
  await page.goto(`${base}/e2e/kinds.html`);
  await poll(page, () => document.body.dataset.ready === 'true', null, 30_000);
  const dir = join(root, 'target', 'e2e', tag, 'a11y');
  mkdirSync(dir, { recursive: true });

  // 1. The export menu opens under the chart, in the flow: its box never meets the canvas.
  for (const [theme, width] of [['light', null], ['dark', null], ['high-contrast', null], ['light', '320px'], ['dark', '320px']]) {
    const key = `trend ${theme}${width ? ` ${width}` : ''}`;
    await placeProbe(page, { name: 'trend', kind: 'trend', lang: 'ru', theme, width });
    await page.locator('#probe').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('probe').shadowRoot.querySelector('[aria-haspopup=menu]').focus());
    await page.keyboard.press('ArrowDown');
    const g = await page.evaluate(() => {
      const root = document.getElementById('probe').shadowRoot;
      const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
      const items = [...root.querySelectorAll('[role=menuitem]')];
      return { canvas: box(root.querySelector('canvas')), menu: box(root.querySelector('.menu')), items: items.map(box), open: !root.querySelector('.menu').hidden, focus: root.activeElement?.getAttribute('role') };
    });
    const meets = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    const within = g.items.every((b) => b.x >= g.canvas.x - 1 && b.x + b.w <= g.canvas.x + g.canvas.w + 1);
    check(g.open && g.focus === 'menuitem' && g.items.length === 3 && !meets(g.menu, g.canvas) && g.items.every((b) => !meets(b, g.canvas)) && within,
      `${key}: the open menu (${g.menu.w.toFixed(0)}×${g.menu.h.toFixed(0)} at y ${g.menu.y.toFixed(0)}) is below the canvas (bottom ${(g.canvas.y + g.canvas.h).toFixed(0)}), not over the plot, within the widget's width`);
    await page.locator('#probe').screenshot({ path: join(dir, `menu-open-${theme}${width ? `-${width}` : ''}.png`) });
    await page.keyboard.press('Escape');
  }

  // 2. The trend's summary and data table give the significance of both tests.
  for (const [lang, want, note] of [
    ['en', 'not statistically significant (OLS p = 0.21; Mann–Kendall p = 0.26)', 'OLS: +1.0\u00a0pp a year, p = 0.21, not significant'],
    ['ru', 'статистически незначим (МНК p = 0,21; Манн–Кендалл p = 0,26)', 'МНК: +1,0\u00a0п.п. в год, p = 0,21, незначим'],
    ['kk', 'статистикалық маңызды емес (ЕКӘ p = 0,21; Манн–Кендалл p = 0,26)', null],
  ]) {
    await placeProbe(page, { name: 'trend', kind: 'trend', lang, theme: 'light' });
    const t = await page.evaluate(() => {
      const root = document.getElementById('probe').shadowRoot;
      return { label: root.getElementById('kpi-chart').getAttribute('aria-label'), notes: [...root.querySelectorAll('#kpi-table .notes p')].map((p) => p.textContent) };
    });
    check(t.label.includes(want), `trend ${lang}: the accessible summary gives the significance ("…${t.label.slice(t.label.indexOf(want.slice(0, 8)), t.label.indexOf(want.slice(0, 8)) + 90)}")`);
    if (note) check(t.notes.includes(note), `trend ${lang}: the data table's notes give each test (${JSON.stringify(t.notes)})`);
  }
  // A trend input from before the tests existed still draws, and says nothing of them.
  const old = await page.evaluate(async () => {
    const w = document.getElementById('probe');
    const { tests, ...rest } = w.data;
    w.data = rest;
    await w.updateComplete;
    return { state: w.getAttribute('data-kpi-state'), label: w.shadowRoot.getElementById('kpi-chart').getAttribute('aria-label') };
  });
  check(old.state === 'drawn' && !/маңызды/.test(old.label), `trend without tests: drawn, no significance claimed (${old.state})`);

  // 3. The table kind: a real HTML table instead of the canvas.
  for (const [theme, width] of [['light', null], ['dark', null], ['high-contrast', null], ['light', '320px']]) {
    const key = `table ${theme}${width ? ` ${width}` : ''}`;
    await placeProbe(page, { name: 'table', kind: 'table', lang: 'ru', theme, width, height: 400 });
    await page.locator('#probe').scrollIntoViewIfNeeded();
    const t = await page.evaluate(() => {
      const w = document.getElementById('probe');
      const root = w.shadowRoot;
      const table = root.querySelector('table');
      const wrap = table.parentElement;
      const r = wrap.getBoundingClientRect();
      const cs = (e) => getComputedStyle(e);
      const bg = cs(wrap).backgroundColor;
      const colours = [...root.querySelectorAll('caption, thead th button, tbody th, tbody td, .notes p')].map((e) => cs(e).color);
      return {
        canvasShown: root.querySelector('.frame').getBoundingClientRect().height > 0,
        tableShown: r.height > 100 && r.width > 200,
        toggle: root.querySelector('[aria-controls=kpi-table]').hidden,
        caption: table.querySelector('caption')?.textContent,
        cols: [...table.querySelectorAll('thead th[scope=col]')].map((th) => [th.textContent, th.getAttribute('aria-sort'), th.querySelector('button') !== null]),
        rows: table.querySelectorAll('tbody tr').length,
        rowHeads: table.querySelectorAll('tbody th[scope=row]').length,
        cells: [...table.querySelectorAll('tbody td')].map((td) => td.textContent),
        bg,
        colours: [...new Set(colours)],
        height: r.height,
      };
    });
    const worst = Math.min(...t.colours.map((c) => contrastOf(c, t.bg)));
    check(!t.canvasShown && t.tableShown && t.toggle, `${key}: the HTML table is shown instead of the canvas (${t.rows} rows; no Table toggle)`);
    check(t.caption && t.cols.length === 2 && t.cols.every((c) => c[2]) && t.rowHeads === t.rows && t.rows > 10,
      `${key}: caption "${t.caption}", ${t.cols.length} th scope=col with sort buttons, a th scope=row per row`);
    check(t.cols[1][1] === 'descending' && t.cols[0][1] === null, `${key}: aria-sort says the given order (${JSON.stringify(t.cols.map((c) => c[1]))})`);
    check(t.cells.some((c) => /^\d{1,3},\d\u00a0%$/.test(c)) && t.cells.some((c) => /^Невозможно вычислить: .+/.test(c)),
      `${key}: numbers in Russian ("${t.cells[0]}"), not-computable cells with their reason ("${t.cells.find((c) => c.startsWith('Невозможно'))}")`);
    check(worst >= 4.5, `${key}: text contrast ${worst.toFixed(2)}:1 against the table background ${t.bg}`);
    await page.locator('#probe').screenshot({ path: join(dir, `table-kind-${theme}${width ? `-${width}` : ''}.png`) });
  }
  // Sorting by keyboard: Tab to the first header button, Enter sorts ascending, again
  // descending; aria-sort moves and the rows follow.
  const order = () => page.evaluate(() => {
    const root = document.getElementById('probe').shadowRoot;
    return {
      names: [...root.querySelectorAll('tbody th[scope=row]')].map((th) => th.textContent),
      sort: [...root.querySelectorAll('thead th')].map((th) => th.getAttribute('aria-sort')),
      focus: root.activeElement?.textContent ?? null,
    };
  });
  const before = await order();
  await page.evaluate(() => document.getElementById('probe').shadowRoot.querySelector('thead th button').focus());
  await page.keyboard.press('Enter');
  const asc = await order();
  await page.keyboard.press('Enter');
  const desc = await order();
  const sortedAsc = [...asc.names].sort((a, b) => a.localeCompare(b, 'ru'));
  check(asc.sort[0] === 'ascending' && asc.sort[1] === null && JSON.stringify(asc.names) === JSON.stringify(sortedAsc) && JSON.stringify(asc.names) !== JSON.stringify(before.names),
    `table: Enter on the first header sorts ascending (aria-sort ${asc.sort[0]}; first rows ${asc.names.slice(0, 2).join(', ')}), focus stays on "${asc.focus}"`);
  check(desc.sort[0] === 'descending' && JSON.stringify(desc.names) === JSON.stringify([...sortedAsc].reverse()),
    `table: Enter again sorts descending (first rows ${desc.names.slice(0, 2).join(', ')})`);
  const notes = await page.evaluate(() => [...document.getElementById('probe').shadowRoot.querySelectorAll('.notes p')].map((p) => p.textContent));
  check(!notes.some((n) => /Сортировка|Sorted/.test(n)), `table: the "sorted by" note goes once the reader sorts (${JSON.stringify(notes)})`);
  // The table-kind API: kpi-render fires, exports work.
  const api = await page.evaluate(async () => {
    const w = document.getElementById('probe');
    let rendered = null;
    w.addEventListener('kpi-render', (e) => { rendered = e.detail.kind; }, { once: true });
    w.redraw();
    const blob = await w.exportPng();
    return { rendered, csv: w.exportCsv().split('\n').length, png: blob.type, svg: w.exportSvg().startsWith('<svg') };
  });
  check(api.rendered === 'table' && api.csv > 10 && api.png === 'image/png' && api.svg, `table: kpi-render, CSV, PNG and SVG exports still work (${JSON.stringify(api)})`);
  await page.evaluate(() => document.getElementById('probe').remove());

  await page.close();
}

/**
 * Issue 16's per-kind data table: for every kind drawn on a canvas, the Table toggle shows
 * the kind's own table: a caption, the column headers a reader of that chart needs
 * (`th scope=col`, no generic or empty ones, none twice), a row header per row (`th
 * scope=row`: the year, organisation, statistic, range, criterion or family), and axe-core
 * finds nothing in it. Screenshots of each opened table in target/e2e/<tag>/a11y/tables/.
 */
export async function testKindTables(browser, base, tag, { root, check, poll }) {
  console.log(`\n${tag}: the data table of each kind (${base}/e2e/kinds.html)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${base}/e2e/kinds.html`);
  await poll(page, () => document.body.dataset.ready === 'true', null, 30_000);
  const dir = join(root, 'target', 'e2e', tag, 'a11y', 'tables');
  mkdirSync(dir, { recursive: true });
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  // [gallery example, kind, the English column headers in order, the first row header]
  const cases = [
    ['kpi-card', 'kpi-card', ['Academic year', 'Value', 'Change', 'Peer percentile', 'Peer median', 'n'], '2018–2019'],
    ['trend', 'trend', ['Academic year', 'Value', 'Peer median', 'Q1–Q3', 'n', 'Forecast (95% forecast interval)', 'Signal', 'Note'], '2016–2017'],
    ['compare-significance', 'compare', ['Rank', 'Organisation', 'Value', 'Significance'], 'College of Transport and Communications No. 1'],
    ['distribution-box', 'distribution', ['Statistic', 'Value'], 'Minimum'],
    ['distribution-histogram', 'distribution', ['Value range', 'Number of organisations'], null],
    ['scatter', 'scatter', ['Organisation', 'Students per teacher', 'Graduate employment rate'], null],
    ['risk-gauge', 'risk-gauge', ['Academic year', 'Risk score', 'Degree of risk', 'Low', 'Medium', 'High', 'Weight', 'Change'], '2023–2024'],
    ['risk-breakdown', 'risk-breakdown', ['Criterion', 'Weight', 'Contribution to risk score', 'Note'], 'Dropout rate'],
    ['radar', 'radar', ['Family', 'Family score (0–100)', 'Peer median', 'Indicators', 'Note'], 'Input'],
    ['gaps', 'gaps', ['Group', 'Mean', '95% confidence interval', 'Difference from overall value (Mean)', 'n', 'Note'], 'rural'],
    ['gaps-regions', 'gaps', ['Group', 'Mean', '95% confidence interval', 'Difference from overall value (Mean)', 'n', 'Note'], 'Abai'],
  ];
  for (const [name, kind, want, first] of cases) {
    for (const [lang, theme] of [['en', 'light'], ['ky', 'dark']]) {
      await placeProbe(page, { name, kind, lang, theme, height: 300, first: true });
      const r = await page.evaluate(async () => {
        const w = document.getElementById('probe');
        const root = w.shadowRoot;
        root.querySelector('[aria-controls=kpi-table]').click();
        const table = root.querySelector('#kpi-table table');
        const ax = await window.axe.run(w, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return {
          state: w.getAttribute('data-kpi-state'),
          caption: table.querySelector('caption')?.textContent ?? '',
          cols: [...table.querySelectorAll('thead th[scope=col]')].map((th) => th.textContent),
          rows: table.querySelectorAll('tbody tr').length,
          rowHeads: [...table.querySelectorAll('tbody th[scope=row]')].map((th) => th.textContent),
          emptyCols: [...table.querySelectorAll('thead th')].map((_, c) => [...table.querySelectorAll('tbody tr')].every((tr) => (tr.children[c]?.textContent ?? '') === '')).filter(Boolean).length,
          visible: root.getElementById('kpi-table').getBoundingClientRect().height > 40,
          violations: ax.violations.map((v) => `${v.id} (${v.nodes.length})`),
        };
      });
      const key = `${name} ${lang} ${theme}`;
      const distinct = new Set(r.cols).size === r.cols.length && r.cols.every((h) => h && h !== '…');
      if (lang === 'en') {
        check(r.state === 'drawn' && JSON.stringify(r.cols) === JSON.stringify(want), `${key}: column headers ${r.cols.join(' | ')}`);
        if (first) check(r.rowHeads[0] === first, `${key}: first row header "${r.rowHeads[0]}"`);
      }
      check(distinct && r.emptyCols === 0 && r.cols.length >= 2, `${key}: ${r.cols.length} named, distinct, non-empty columns`);
      check(r.rows > 0 && r.rowHeads.length === r.rows && new Set(r.rowHeads).size === r.rows, `${key}: a distinct row header in each of ${r.rows} rows`);
      check(r.caption.trim().length > 0 && r.visible, `${key}: caption "${r.caption}", shown by the Table toggle`);
      check(r.violations.length === 0, `${key}: axe-core on the widget with its table open: ${r.violations.length} violation(s) ${r.violations.join(', ')}`);
      await page.locator('#probe').screenshot({ path: join(dir, `${name}-${lang}-${theme}.png`) });
    }
  }
  await page.close();
}

/**
 * The point buttons (the chart group's list) are in the order the arrow keys visit the
 * points, for every kind: Home, then ArrowRight to the end of the lane, ArrowDown and
 * Home to the next lane, until nothing new is reached; the focused buttons, in turn, must
 * be the buttons in DOM order, and every point must be reached.
 */
export async function testPointOrder(browser, base, tag, { check, poll }) {
  console.log(`\n${tag}: point buttons in arrow-key order (${base}/e2e/kinds.html)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/e2e/kinds.html`);
  await poll(page, () => document.body.dataset.ready === 'true', null, 30_000);
  const ids = await page.evaluate(() => [...document.querySelectorAll('kpi-widget')].filter((w) => w.getAttribute('kind') !== 'table').map((w) => w.id));
  const focused = () => page.evaluate(() => {
    const a = document.activeElement?.shadowRoot?.activeElement;
    return a?.dataset?.i === undefined ? null : Number(a.dataset.i);
  });
  for (const id of ids) {
    const dom = await page.evaluate((id) => {
      const w = document.getElementById(id);
      w.shadowRoot.querySelector('.points [tabindex="0"]').focus();
      return { order: [...w.shadowRoot.querySelectorAll('.points button')].map((b) => Number(b.dataset.i)), count: w._chart.pointCount() };
    }, id);
    await page.keyboard.press('Home');
    const walk = [await focused()];
    for (let step = 0; step < 400 && walk.length < dom.count; step++) {
      const last = walk[walk.length - 1];
      await page.keyboard.press('ArrowRight');
      let now = await focused();
      if (now !== last) { walk.push(now); continue; }
      await page.keyboard.press('ArrowDown');
      if ((await focused()) === last) break;
      await page.keyboard.press('Home');
      now = await focused();
      if (walk.includes(now)) break;
      walk.push(now);
    }
    check(dom.order.length === dom.count && JSON.stringify(walk) === JSON.stringify(dom.order),
      `${id}: the ${dom.count} point buttons are in arrow-key order${JSON.stringify(walk) === JSON.stringify(dom.order) ? '' : `: keys ${walk.slice(0, 12).join(',')}…, buttons ${dom.order.slice(0, 12).join(',')}…`}`);
    await page.evaluate(() => document.activeElement?.blur());
  }
  await page.close();
}

/**
 * A chart of 2,000 organisations lists MAX_POINT_BUTTONS (200) point buttons at a time, in
 * keyboard order; the arrow keys, PageDown and End still reach every point (the window
 * follows the focus), the buttons around the list page it, a visible note (also the group's
 * description) says how many points there are, and the data table lists all of them.
 */
export async function testPointCap(browser, base, tag, { root, check, poll }) {
  console.log(`\n${tag}: point buttons of a chart of 2,000 organisations (${base}/e2e/kinds.html)`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/e2e/kinds.html`);
  await poll(page, () => document.body.dataset.ready === 'true', null, 30_000);
  const dir = join(root, 'target', 'e2e', tag, 'a11y');
  mkdirSync(dir, { recursive: true });
  for (const kind of ['compare', 'scatter']) {
    const r = await page.evaluate(async (kind) => {
      const { compareData } = await import('/e2e/fixtures.js');
      document.getElementById('probe')?.remove();
      const w = document.createElement('kpi-widget');
      w.id = 'probe';
      w.setAttribute('kind', kind);
      w.setAttribute('lang', 'en');
      w.setAttribute('height', '500');
      const bars = compareData(2000, { hostile: false });
      w.data = kind === 'compare' ? bars : {
        x: { code: 'student_teacher_ratio', label: 'Students per teacher', unit: 'ratio' },
        y: bars.indicator,
        points: bars.bars.map((b, k) => ({ id: b.id, name: b.name, x: 8 + (k % 97) / 4, y: b.value })),
      };
      document.getElementById('gallery').prepend(w);
      await w.updateComplete;
      const root = w.shadowRoot;
      const g = root.getElementById('kpi-chart');
      const note = root.getElementById('kpi-cap');
      return {
        state: w.getAttribute('data-kpi-state'),
        count: w._chart.pointCount(),
        order: Array.from(w._chart.pointOrder()),
        buttons: [...root.querySelectorAll('.points button')].map((b) => Number(b.dataset.i)),
        note: note.hidden ? null : note.textContent,
        noteShown: note.getBoundingClientRect().height > 0,
        described: (g.getAttribute('aria-describedby') ?? '').split(' ').includes('kpi-cap'),
        tableRows: root.querySelectorAll('#kpi-table tbody tr').length,
        next: root.querySelector('#kpi-chart > button:last-child')?.hidden === false ? root.querySelector('#kpi-chart > button:last-child').textContent : null,
      };
    }, kind);
    check(r.state === "drawn" && r.count >= 1999 && r.buttons.length === 200,
      `${kind} of 2,000: ${r.buttons.length} point buttons for ${r.count} points`);
    check(JSON.stringify(r.buttons) === JSON.stringify(r.order.slice(0, 200)), `${kind} of 2,000: the buttons are the first 200 points in keyboard order`);
    check(r.note !== null && r.noteShown && r.note.includes(String(r.count)) && r.note.includes('1–200') && r.described,
      `${kind} of 2,000: a visible note, also the group's description: "${r.note}"`);
    check(r.tableRows === 1000, `${kind} of 2,000: the data table shows its first page (${r.tableRows} rows of ${r.count})`);
    // The pager reaches every row: the next page and the last page, a status announcing
    // which rows are shown, the buttons that cannot move disabled (the focus then on the status).
    const pages = await page.evaluate(async () => {
      const root = document.getElementById('probe').shadowRoot;
      const wrap = root.getElementById('kpi-table');
      // The pager is a module of its own, imported for the first long table.
      const pause = () => new Promise((r) => setTimeout(r, 10));
      for (let t = 0; t < 500 && !wrap.querySelector('.pager'); t++) await pause();
      const [first, back, forward, last] = wrap.querySelectorAll('.pager button');
      const status = root.getElementById('kpi-rows');
      // A click shows the rows at once and updates the pager when its module answers.
      const click = async (b) => {
        const before = status.textContent;
        b.click();
        for (let t = 0; t < 100 && status.textContent === before; t++) await pause();
      };
      const heads = () => [...wrap.querySelectorAll('tbody tr')].map((tr) => tr.textContent);
      const seen = [...heads()];
      const at = [{ status: status.textContent, back: back.disabled, first: first.disabled, live: status.getAttribute('aria-live') }];
      forward.focus();
      while (!forward.disabled && at.length < 10) {
        await click(forward);
        seen.push(...heads());
        at.push({ status: status.textContent, active: root.activeElement?.id || root.activeElement?.textContent });
      }
      const all = document.getElementById('probe')._chart.table().rows.length;
      await click(last);
      const lastPage = heads().length;
      await click(first);
      return { seen: seen.length, distinct: new Set(seen).size, at, all, lastPage, afterFirst: heads().length, back: back.disabled };
    });
    check(pages.at[0].status === `Rows 1–1,000 of ${r.count.toLocaleString('en')} are shown; Export → CSV data has every row.` && pages.at[0].back && pages.at[0].first && pages.at[0].live === 'polite',
      `${kind} of 2,000: the pager's status "${pages.at[0].status}" (polite live region), back and first disabled on the first page`);
    check(pages.seen === r.count && pages.distinct === r.count && pages.all === r.count,
      `${kind} of 2,000: paging forward shows every row once (${pages.seen} rows, ${pages.distinct} distinct, model ${pages.all})`);
    check(pages.at[pages.at.length - 1].status.startsWith(`Rows 1,001–${r.count.toLocaleString('en')} of`) && pages.at[pages.at.length - 1].active === 'kpi-rows',
      `${kind} of 2,000: on the last page "${pages.at[pages.at.length - 1].status}", the focus on the status (${pages.at[pages.at.length - 1].active})`);
    check(pages.lastPage === r.count - 1000 && pages.afterFirst === 1000 && pages.back,
      `${kind} of 2,000: Last rows shows the last ${pages.lastPage}, First rows the first ${pages.afterFirst} again`);
    check(r.next === `Show points 201–400 of ${r.count}`, `${kind} of 2,000: a button after the list pages it ("${r.next}")`);
    // The keys walk past the window: 205 steps forward from Home, each a new point.
    await page.evaluate(() => document.getElementById('probe').shadowRoot.querySelector('.points [tabindex="0"]').focus());
    await page.keyboard.press('Home');
    const seen = [];
    for (let k = 0; k < 205; k++) {
      seen.push(await page.evaluate(() => Number(document.getElementById('probe').shadowRoot.activeElement?.dataset.i)));
      await page.keyboard.press(kind === 'compare' ? 'ArrowDown' : 'ArrowRight');
    }
    const win = await page.evaluate(() => {
      const root = document.getElementById('probe').shadowRoot;
      return { buttons: root.querySelectorAll('.points button').length, tip: root.querySelector('.tooltip').hidden ? null : root.querySelector('.tooltip').textContent, note: root.getElementById('kpi-cap').textContent };
    });
    check(JSON.stringify(seen) === JSON.stringify(r.order.slice(0, 205)) && win.buttons === 200 && win.tip,
      `${kind} of 2,000: 205 arrow-key steps reach the points in keyboard order past the first 200 (the window follows: "${win.note}")`);
    await page.keyboard.press('End');
    const end = await page.evaluate(() => {
      const w = document.getElementById('probe');
      const a = w.shadowRoot.activeElement;
      return { i: a?.dataset.i === undefined ? null : Number(a.dataset.i), want: w._chart.navigate(undefined, 'End') };
    });
    check(end.i !== null && end.i === end.want && end.i === r.order[r.order.length - 1], `${kind} of 2,000: End focuses the last point's button (${end.i})`);
    if (kind === 'compare') await page.locator('#probe').screenshot({ path: join(dir, 'cap-compare-2000.png') });
    // Browse mode: the button after the list shows the next 200 and focuses the first of them.
    const paged = await page.evaluate(() => {
      const root = document.getElementById('probe').shadowRoot;
      root.querySelector('.points [tabindex="0"]').focus();
      root.querySelector('#kpi-chart > button:first-child').click();
      const b = [...root.querySelectorAll('.points button')].map((x) => Number(x.dataset.i));
      return { first: b[0], n: b.length, active: Number(root.activeElement?.dataset.i) };
    });
    const prevStart = r.count - 400;
    check(paged.n === 200 && paged.first === r.order[prevStart] && paged.active === r.order[prevStart + 199],
      `${kind} of 2,000: the button before the list shows the 200 points before (focus on the last of them)`);
  }
  await page.evaluate(() => document.getElementById('probe')?.remove());
  await page.close();
}

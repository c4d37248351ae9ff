// menu.js: the export menu of <kpi-widget> (a button opening PNG / SVG / CSV items, in
// the widget's language) and saving an export as a file download.

import { el } from './shadow.js';
import { jsError } from './errors.js';
import { UI } from './messages.js';

const FORMATS = ['png', 'svg', 'csv'];

/** The toolbar with the export button and its menu; `onPick(format)` on a choice. */
export class ExportMenu {
  constructor(onPick) {
    this._onPick = onPick;
    this.menu = el('div', { class: 'menu', role: 'menu', hidden: true });
    this.button = el('button', { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false' });
    // Under the chart, in the flow (not over the canvas): the open menu is a row below the
    // buttons that pushes the content after it down, so it never covers the plotted data.
    this.toolbar = el('div', { class: 'toolbar', part: 'toolbar' }, this.button, this.menu);
    this.button.addEventListener('click', () => {
      if (this.menu.hidden) this.open(0);
      else this.close();
    });
    // Menu keys (WAI-ARIA menu button): arrows move between the items, wrapping; Home and
    // End go to the first and last; Escape closes and returns focus to the button.
    this.toolbar.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') { this.close(); this.button.focus(); return; }
      const items = [...this.menu.querySelectorAll('[role=menuitem]')];
      if (this.menu.hidden || items.length === 0) {
        if (ev.target === this.button && (ev.key === 'ArrowDown' || ev.key === 'ArrowUp')) {
          ev.preventDefault();
          this.open(ev.key === 'ArrowUp' ? items.length - 1 : 0);
        }
        return;
      }
      const at = items.indexOf(this.menu.getRootNode().activeElement);
      const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      items[(to + items.length) % items.length].focus();
    });
    this.toolbar.addEventListener('focusout', (ev) => { if (!this.toolbar.contains(ev.relatedTarget)) this.close(); });
  }

  /** Labels the button and (re)creates the items in `lang`. */
  label(lang) {
    this.button.textContent = `⤓ ${UI.export[lang]}`;
    this.menu.replaceChildren(...FORMATS.map((f) => {
      const b = el('button', { type: 'button', role: 'menuitem', text: UI[f][lang] });
      // Focus returns to the button after a choice (not to <body>).
      b.addEventListener('click', () => { this.close(); this.button.focus(); this._onPick(f); });
      b.tabIndex = -1;
      return b;
    }));
  }

  /** Opens the menu with focus on item `index`. */
  open(index = 0) {
    this.menu.hidden = false;
    this.toolbar.classList.add('open');
    this.button.setAttribute('aria-expanded', 'true');
    const items = this.menu.querySelectorAll('[role=menuitem]');
    items[Math.max(0, Math.min(index, items.length - 1))]?.focus();
  }

  close() {
    this.menu.hidden = true;
    this.toolbar.classList.remove('open');
    this.button.setAttribute('aria-expanded', 'false');
  }
}

function saveFile(blob, name) {
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

/**
 * Downloads `widget`'s chart as `png`, `svg` or `csv` (its `exportPng()`, `exportSvg()`,
 * `exportCsv()`), named after `title`; throws a KpiError for an unknown format.
 */
export async function saveChart(widget, format, title) {
  if (format === 'png') saveFile(await widget.exportPng(), fileName(title, 'png'));
  else if (format === 'svg') saveFile(new Blob([widget.exportSvg()], { type: 'image/svg+xml' }), fileName(title, 'svg'));
  else if (format === 'csv') saveFile(new Blob(['\ufeff', widget.exportCsv()], { type: 'text/csv;charset=utf-8' }), fileName(title, 'csv'));
  else throw jsError('bad-spec', `unknown export format ${format}`);
}

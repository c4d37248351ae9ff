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
    this.toolbar = el('div', { class: 'toolbar', part: 'toolbar' }, this.menu, this.button);
    this.button.addEventListener('click', () => {
      const open = this.menu.hidden;
      this.menu.hidden = !open;
      this.toolbar.classList.toggle('open', open);
      this.button.setAttribute('aria-expanded', String(open));
      if (open) this.menu.querySelector('button')?.focus();
    });
    this.toolbar.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { this.close(); this.button.focus(); } });
    this.toolbar.addEventListener('focusout', (ev) => { if (!this.toolbar.contains(ev.relatedTarget)) this.close(); });
  }

  /** Labels the button and (re)creates the items in `lang`. */
  label(lang) {
    this.button.textContent = `⤓ ${UI.export[lang]}`;
    this.menu.replaceChildren(...FORMATS.map((f) => {
      const b = el('button', { type: 'button', role: 'menuitem', text: UI[f][lang] });
      b.addEventListener('click', () => { this.close(); this._onPick(f); });
      return b;
    }));
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

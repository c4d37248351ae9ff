// table-pager.js: the pager of a <kpi-widget> data table longer than one page
// (TABLE_PAGE_ROWS rows in element.js, which imports this module only for such a table, so
// that the chart path of most pages does not carry it): first, previous, next and last
// page, and a status (a polite live region) that says which rows are shown and that the
// CSV export has every row.

import { el } from './shadow.js';
import { UI } from './messages.js';

/** The status: rows `a`–`b` of `n` are shown; `csv` (the export menu's CSV item) has all. */
const ROWS = {
  kk: (a, b, n, csv) => `${n} жолдың ${a}–${b} жолдары көрсетілген; ${csv} барлық жолды береді.`,
  ru: (a, b, n, csv) => `Показаны строки ${a}–${b} из ${n}; ${csv} содержит все строки.`,
  en: (a, b, n, csv) => `Rows ${a}–${b} of ${n} are shown; ${csv} has every row.`,
  ky: (a, b, n, csv) => `${n} саптын ${a}–${b} саптары көрсөтүлдү; ${csv} бардык саптарды берет.`,
};
/** The buttons: first, previous, next and last page. */
const PAGES = {
  kk: ['Алғашқы жолдар', 'Алдыңғы жолдар', 'Келесі жолдар', 'Соңғы жолдар'],
  ru: ['Первые строки', 'Предыдущие строки', 'Следующие строки', 'Последние строки'],
  en: ['First rows', 'Previous rows', 'Next rows', 'Last rows'],
  ky: ['Алгачкы саптар', 'Мурунку саптар', 'Кийинки саптар', 'Акыркы саптар'],
};
/** Where each button goes: a row of the page to show (element.js rounds it down to a page). */
const TARGETS = [() => 0, (w) => w._rowStart - 1, (w) => w._rowEnd, () => Infinity];

/**
 * Shows (creating it once, above the table) the pager of widget `w`'s table, which shows
 * rows `start + 1`…`end` of `n`; `from` is the pager button clicked, if any: when it became
 * disabled, the focus moves to the status, which is read out.
 */
export function showPager(w, start, end, n, from) {
  if (!w._pager) {
    w._pageStatus = el('p', { class: 'pagestatus', id: 'kpi-rows', role: 'status', 'aria-live': 'polite' });
    w._pageButtons = TARGETS.map((target) => {
      const b = el('button', { type: 'button', 'aria-controls': 'kpi-table' });
      b.addEventListener('click', () => w._showRows(target(w), b));
      return b;
    });
    w._pager = el('div', { class: 'pager' }, w._pageButtons[0], w._pageButtons[1], w._pageStatus, w._pageButtons[2], w._pageButtons[3]);
    w._tableWrap.prepend(w._pager);
  }
  w._pager.hidden = false;
  const lang = w.language;
  // Digits grouped as the charts group them (ICU may not know kk and ky).
  const fmt = (v) => String(v).replace(/\B(?=(\d{3})+$)/g, lang === 'en' ? ',' : '\u00a0');
  w._pageStatus.textContent = ROWS[lang](fmt(start + 1), fmt(end), fmt(n), `${UI.export[lang]} → ${UI.csv[lang]}`);
  w._pageButtons.forEach((b, k) => {
    b.textContent = PAGES[lang][k];
    b.disabled = k < 2 ? start === 0 : end >= n;
  });
  if (from?.disabled) {
    w._pageStatus.tabIndex = -1;
    w._pageStatus.focus();
  }
}

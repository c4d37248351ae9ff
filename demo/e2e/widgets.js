// Gives the end-to-end page its chart data (the JS-object data path) and records events.
import { trendData, compareData } from './fixtures.js';

const byId = (id) => document.getElementById(id);
byId('trend-kk').data = trendData();
byId('trend-en-dark').data = trendData();
byId('compare-ru').data = compareData(36);
byId('compare-kk-hc').data = compareData(60, { top: 5, bottom: 5 });

window.__selects = [];
document.addEventListener('kpi-select', (ev) => {
  window.__selects.push(ev.detail);
  byId('selected').textContent = `${ev.detail.org} ${ev.detail.label}`;
});

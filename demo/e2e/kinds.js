// Every chart kind, from the chart engine's own examples (examples.json, kept in step by
// wasm-widgets/tests/examples.rs), in turn in kk/ru/en and light/dark/high-contrast.
import { render } from '/kpi/kpi-widgets.js';

const LANGS = ['kk', 'ru', 'en'];
const THEMES = ['light', 'dark', 'light', 'high-contrast'];
const HEIGHTS = { 'kpi-card': 220, 'risk-gauge': 260, heatmap: 440, 'compare-top-bottom': 480, table: 400, 'risk-breakdown': 380, radar: 400, 'gaps-regions': 400 };
const SECTION = { dark: 'dark', 'high-contrast': 'hc', light: '' };

window.__selects = [];
document.addEventListener('kpi-select', (ev) => window.__selects.push(ev.detail));

const examples = await (await fetch('examples.json')).json();
const gallery = document.getElementById('gallery');
await Promise.all(examples.map(({ name, input }, i) => {
  const { kind, ...data } = input;
  const lang = LANGS[i % LANGS.length];
  const theme = THEMES[i % THEMES.length];
  const section = document.createElement('section');
  if (SECTION[theme]) section.className = SECTION[theme];
  const h2 = document.createElement('h2');
  h2.textContent = `${name} · ${lang} · ${theme}`;
  const host = document.createElement('div');
  host.id = `host-${name}`;
  section.append(h2, host);
  gallery.append(section);
  return render(host, { kind, data, lang, theme, height: HEIGHTS[name] ?? 340 }).then((w) => { w.id = name; });
}));
document.body.dataset.ready = 'true';

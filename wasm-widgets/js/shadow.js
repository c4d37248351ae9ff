// shadow.js: what the shadow root of every <kpi-widget> is built from: one constructed
// stylesheet shared by all widgets (no <style> element, no style attribute, so the widgets
// work under `style-src 'self'`; colours and fonts follow the page's --kpi-* custom
// properties), and el(), which puts text from data in as text only, never as HTML.

/** A `tag` element with `props` (`text`, `class`, `hidden` or attributes) and children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else if (k === 'hidden') node.hidden = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

const CSS = `
:host { display: block; position: relative; font-family: var(--kpi-font, system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif);
  --_surface: var(--kpi-surface, #ffffff); --_text: var(--kpi-text, #1b1c1e); --_border: var(--kpi-grid, #b9bcc2);
  --_focus: var(--kpi-focus, #0b57d0); --_error: var(--kpi-worse, #a4400a); color: var(--_text); }
:host([data-kpi-theme="dark"]) { --_surface: var(--kpi-surface, #24272c); --_text: var(--kpi-text, #eceef1); --_border: var(--kpi-grid, #5a5f68);
  --_focus: var(--kpi-focus, #8ab4f8); --_error: var(--kpi-worse, #ffb37a); }
:host([data-kpi-theme="high-contrast"]) { --_surface: var(--kpi-surface, #000000); --_text: var(--kpi-text, #ffffff); --_border: var(--kpi-grid, #ffffff);
  --_focus: var(--kpi-focus, #ffff00); --_error: var(--kpi-worse, #ffb000); }
:host([hidden]) { display: none; }
[hidden] { display: none !important; }
.frame { position: relative; width: 100%; overflow: hidden; }
canvas { display: block; width: 100%; height: 100%; touch-action: manipulation; }
.frame:focus-within { outline: 2px solid var(--_focus); outline-offset: -2px; }
.points { margin: 0; padding: 0; list-style: none; }
.tooltip { position: absolute; left: 0; top: 0; z-index: 2; max-width: min(300px, 90%);
  padding: 6px 8px; background: var(--_surface); color: var(--_text); border: 1px solid var(--_border); border-radius: 4px;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2); font-size: 12px; line-height: 1.4; overflow-wrap: anywhere; }
.tooltip div:first-child { font-weight: 600; }
.ring { position: absolute; left: 0; top: 0; z-index: 1; pointer-events: none; border: 2px solid var(--_focus); border-radius: 3px; }
.toolbar { display: flex; flex-wrap: wrap; justify-content: flex-end; align-items: flex-start; gap: 4px; margin-top: 4px; }
.toolbar button, .pager button { font: inherit; font-size: 12px; color: var(--_text); background: var(--_surface); border: 1px solid var(--_border);
  border-radius: 4px; padding: 3px 8px; cursor: pointer; }
.toolbar button:focus-visible, .pager button:focus-visible { outline: 2px solid var(--_focus); outline-offset: 1px; }
.menu { flex-basis: 100%; display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 4px; }
.menu button { text-align: start; }
.error { box-sizing: border-box; padding: 12px 14px; border: 1px solid var(--_error); border-radius: 4px; color: var(--_text);
  background: var(--_surface); font-size: 14px; line-height: 1.4; }
.error::before { content: "⚠ "; color: var(--_error); }
.capnote { margin: 0 auto 0 0; align-self: center; font-size: 12px; line-height: 1.4; color: var(--_text); }
.notice { margin: 4px 0 0; font-size: 13px; line-height: 1.4; color: var(--_text); }
.notice::before { content: "⚠ "; color: var(--_error); }
.toolbar button[aria-pressed="true"] { box-shadow: inset 0 0 0 1px var(--_text); }
.datatable { max-height: 360px; overflow: auto; margin-top: 6px; font-size: 13px; line-height: 1.4; color: var(--_text); background: var(--_surface); }
.datatable table { border-collapse: collapse; width: 100%; }
.datatable caption { text-align: start; font-weight: 600; padding: 4px 6px; }
.datatable .notes p { margin: 4px 6px; }
.datatable .pager { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px; }
.datatable .pagestatus { margin: 0; flex: 1 1 16em; }
.pager button:disabled { cursor: default; opacity: 0.6; }
.datatable th, .datatable td { border-bottom: 1px solid var(--_border); padding: 3px 6px; text-align: start; vertical-align: top; }
.datatable td.num, .datatable th.num, .datatable th.num .sort { text-align: end; font-variant-numeric: tabular-nums; }
.datatable td.num { white-space: nowrap; }
.datatable td:not(.num), .datatable tbody th { min-width: 8em; }
.datatable tbody th { font-weight: normal; }
.datatable th[aria-sort="ascending"] .sort::after { content: " ▲"; }
.datatable th[aria-sort="descending"] .sort::after { content: " ▼"; }
.datatable thead th { position: sticky; top: 0; background: var(--_surface); }
.sort { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: start; }
.sort:focus-visible { outline: 2px solid var(--_focus); outline-offset: 1px; }
.sysprobe { position: absolute; background-color: Canvas; color: CanvasText; border: 1px solid Highlight; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
`;

let sheet = null;

/** The shared stylesheet, or null where constructed stylesheets are not supported. */
export function styleSheet() {
  if (!sheet && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

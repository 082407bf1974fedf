// One stylesheet for the plugin, injected on initialize and removed on uninitialize. Colours come
// from the host theme's CSS variables (fallbacks are Mattermost's default "Denim" theme), so every
// theme, dark ones included, is respected without reading the theme object.
export const STYLE_ELEMENT_ID = 'infra-ops-styles';

const fg = 'var(--center-channel-color, #3f4350)';
const bg = 'var(--center-channel-bg, #ffffff)';
const fgA = (a: number) => `rgba(var(--center-channel-color-rgb, 63, 67, 80), ${a})`;

export const css = `
.io-root { color: ${fg}; background: ${bg}; font-size: 14px; height: 100%; display: flex; flex-direction: column; }
.io-tabs { display: flex; flex-wrap: wrap; border-bottom: 1px solid ${fgA(0.12)}; padding: 0 8px; }
.io-tab { background: none; border: 0; border-bottom: 2px solid transparent; color: ${fgA(0.72)}; padding: 10px 9px; font-weight: 600; cursor: pointer; }
.io-tab[aria-selected="true"] { color: var(--button-bg, #1c58d9); border-bottom-color: var(--button-bg, #1c58d9); }
.io-tab:focus-visible, .io-btn:focus-visible, .io-point:focus-visible, .io-link:focus-visible { outline: 2px solid var(--button-bg, #1c58d9); outline-offset: 2px; }
.io-panel { padding: 12px 16px; overflow-y: auto; flex: 1; }
.io-row { display: flex; gap: 8px; align-items: center; justify-content: space-between; margin-bottom: 12px; }
.io-h { font-size: 14px; font-weight: 600; margin: 16px 0 8px; }
.io-muted { color: ${fgA(0.64)}; font-size: 12px; }
.io-error { color: var(--error-text, #d24b4e); margin: 8px 0; }
.io-ok { color: var(--online-indicator, #3db887); margin: 8px 0; }
.io-btn { background: var(--button-bg, #1c58d9); color: var(--button-color, #ffffff); border: 0; border-radius: 4px; padding: 6px 12px; font-weight: 600; cursor: pointer; }
.io-btn[disabled] { opacity: 0.5; cursor: default; }
.io-btn--ghost { background: transparent; color: var(--button-bg, #1c58d9); border: 1px solid ${fgA(0.16)}; }
.io-list { list-style: none; margin: 0; padding: 0; }
.io-item { border: 1px solid ${fgA(0.12)}; border-radius: 4px; padding: 8px 10px; margin-bottom: 8px; }
.io-item-title { font-weight: 600; }
.io-badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 11px; font-weight: 700; line-height: 18px; margin-right: 6px; color: #fff; background: ${fgA(0.56)}; }
.io-sev-1 { background: var(--dnd-indicator, #d24b4e); }
.io-sev-2 { background: var(--away-indicator, #ffbc1f); color: #1b1d22; }
.io-sev-3 { background: var(--button-bg, #1c58d9); }
.io-sev-4 { background: ${fgA(0.48)}; }
.io-status-resolved { background: var(--online-indicator, #3db887); }
.io-form label { display: block; font-weight: 600; margin: 10px 0 4px; }
.io-form input[type="text"], .io-form textarea, .io-form select, .io-input, .io-root select { width: 100%; box-sizing: border-box; padding: 6px 8px; border: 1px solid ${fgA(0.24)}; border-radius: 4px; background: ${bg}; color: ${fg}; font: inherit; }
.io-row select { width: auto; padding: 2px 4px; }
.io-form .io-check { display: flex; gap: 6px; align-items: center; font-weight: 400; }
.io-form .io-check input { width: auto; }
.io-actions { display: flex; gap: 8px; margin-top: 12px; }
.io-chart { width: 100%; height: auto; display: block; }
.io-chart text { fill: ${fgA(0.72)}; font-size: 11px; }
.io-chart .io-qlabel { font-size: 12px; font-weight: 700; fill: ${fgA(0.56)}; }
.io-chart .io-axis { stroke: ${fgA(0.32)}; }
.io-chart .io-threshold { stroke: ${fgA(0.48)}; stroke-dasharray: 4 3; }
.io-chart .io-whisker { stroke: ${fgA(0.48)}; stroke-width: 1.5; }
.io-q-implement { fill: rgba(61, 184, 135, 0.10); }
.io-q-challenge { fill: rgba(255, 188, 31, 0.12); }
.io-q-possible { fill: rgba(28, 88, 217, 0.08); }
.io-q-kill { fill: rgba(210, 75, 78, 0.10); }
.io-point { cursor: pointer; stroke: ${bg}; stroke-width: 2; }
.io-point.io-implement { fill: #3db887; } .io-point.io-challenge { fill: #e0a000; } .io-point.io-possible { fill: #1c58d9; } .io-point.io-kill { fill: #d24b4e; }
.io-point.io-selected { stroke: ${fg}; }
.io-tooltip { border: 1px solid ${fgA(0.16)}; border-radius: 4px; padding: 8px; margin-top: 8px; background: ${fgA(0.04)}; min-height: 40px; }
.io-card { border: 1px solid ${fgA(0.16)}; border-left: 4px solid var(--button-bg, #1c58d9); border-radius: 4px; padding: 10px 12px; max-width: 560px; color: ${fg}; }
.io-card.io-card-sev-1 { border-left-color: var(--dnd-indicator, #d24b4e); }
.io-card.io-card-sev-2 { border-left-color: var(--away-indicator, #ffbc1f); }
.io-card.io-card-resolved { border-left-color: var(--online-indicator, #3db887); }
.io-card dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0 0; }
.io-card dt { color: ${fgA(0.64)}; }
.io-card dd { margin: 0; }
.io-link { color: var(--link-color, #1c58d9); background: none; border: 0; padding: 0; cursor: pointer; font: inherit; }
.io-notice { margin: 8px 16px 0; }
.io-root code { font-size: 12px; word-break: break-all; }
.io-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.io-gate { border-left: 3px solid ${fgA(0.16)}; padding-left: 8px; margin-top: 6px; }
.io-gate .io-actions, .io-gate .io-row { margin-top: 6px; margin-bottom: 0; }
.io-subnav { display: flex; gap: 6px; margin-bottom: 8px; }
.io-subnav .io-btn[aria-pressed="true"] { background: var(--button-bg, #1c58d9); color: var(--button-color, #ffffff); }
.io-chart .io-bar-count-0 { fill: var(--button-bg, #1c58d9); }
.io-chart .io-bar-count-1 { fill: var(--online-indicator, #3db887); }
.io-chart .io-bar-time-0, .io-chart .io-bar-time-1, .io-chart .io-bar-time-2 { fill: ${fgA(0.4)}; }
.io-table { width: 100%; border-collapse: collapse; font-size: 12px; margin-top: 8px; }
.io-table th, .io-table td { text-align: left; padding: 3px 4px; border-bottom: 1px solid ${fgA(0.12)}; }
.io-btn:focus-visible, .io-root input:focus-visible, .io-root textarea:focus-visible { outline: 2px solid var(--button-bg, #1c58d9); outline-offset: 1px; }
`;

export function injectStyles(doc: Document = document): () => void {
  if (doc.getElementById(STYLE_ELEMENT_ID)) return () => undefined;
  const el = doc.createElement('style');
  el.id = STYLE_ELEMENT_ID;
  el.textContent = css;
  doc.head.appendChild(el);
  return () => el.remove();
}

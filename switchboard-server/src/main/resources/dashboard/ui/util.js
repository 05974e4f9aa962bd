// Small DOM and formatting helpers shared by the pages.

/** Creates an element: h('div', {class: 'x', onclick: fn}, child, 'text', ...). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let idCounter = 0;
export function uid(prefix) { idCounter += 1; return prefix + '-' + idCounter; }

/**
 * Cost bands on cost_per_token (USD per token, the mean of prompt and completion prices):
 * free = 0; cheap < $0.000001 (under $1 per million tokens); moderate < $0.00001 (under $10 per million);
 * expensive = $0.00001 or more. A model whose price the provider does not publish is "unknown".
 */
export const COST_BANDS = { cheap: 0.000001, moderate: 0.00001 };

export function costBand(model) {
  if (model.is_free || model.cost_per_token === 0) return 'free';
  const c = model.cost_per_token;
  if (c === null || c === undefined) return 'unknown';
  if (c < COST_BANDS.cheap) return 'cheap';
  if (c < COST_BANDS.moderate) return 'moderate';
  return 'expensive';
}

/** USD with enough digits for per-token prices. */
export function usd(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === 0) return '$0';
  const d = digits ?? (Math.abs(v) >= 1 ? 2 : Math.abs(v) >= 0.01 ? 4 : 8);
  // Too small for the digits asked: show two significant figures rather than a misleading $0.00.
  if (Math.abs(v) < 0.5 * Math.pow(10, -d)) return '$' + Number(v.toPrecision(2)).toLocaleString('en-US', { maximumSignificantDigits: 2, maximumFractionDigits: 12 });
  return '$' + Number(v).toLocaleString('en-US', { minimumFractionDigits: Math.min(d, 2), maximumFractionDigits: d });
}

export function perMillion(v) {
  if (v === null || v === undefined) return 'price unknown';
  if (v === 0) return 'free';
  return usd(v * 1e6, 2) + ' / M tokens';
}

export function num(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return Number(v).toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function modelKey(m) { return m.provider + ':' + m.model_id; }

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert' }, e.message || String(e));
}

export function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 4000);
}

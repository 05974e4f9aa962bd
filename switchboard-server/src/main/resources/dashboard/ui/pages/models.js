// Models: every catalog model, searchable, sortable and filtered by cost; the filter persists in localStorage
// and, when an OpenRouter provider exists, on the server (POST /api/v1/models/openrouter/filter).
import { h, uid, costBand, perMillion, usd, num, modelKey, errorBox, toast, COST_BANDS } from '../util.js';

const STORE = 'switchboard.modelFilter';
const SLIDER_MAX = 100;
export const MAX_CAP = 0.01;

/** Slider position 0..100 to a cap in USD per token: 0 is $0, then log scale from $0.00000001 to $0.01. */
export function capFor(pos) { return pos <= 0 ? 0 : Math.pow(10, -8 + 6 * pos / SLIDER_MAX); }
export function posFor(cap) {
  if (!(cap > 0)) return 0;
  return Math.max(1, Math.min(SLIDER_MAX, Math.round((Math.log10(cap) + 8) * SLIDER_MAX / 6)));
}

const PRESETS = [
  { label: 'Free', mode: 'free', cap: 0 },
  { label: 'Under $1/M', mode: 'affordable', cap: COST_BANDS.cheap },
  { label: 'Under $10/M', mode: 'affordable', cap: COST_BANDS.moderate },
  { label: 'Any price', mode: 'all', cap: MAX_CAP },
];

/** The server's OpenRouter filter in words: what it keeps in that provider's catalog. */
function describe(f) {
  const kept = f.show_free_only ? 'free models only'
    : f.prefer_free_models ? 'free models and those up to ' + usd(f.max_cost_per_token) + ' per token' : 'every model';
  return "The server's OpenRouter filter keeps " + kept + '; choosing a cost filter here changes it.';
}

function loadLocal() {
  try { return JSON.parse(localStorage.getItem(STORE)) || null; } catch { return null; }
}

export async function render(main, api) {
  const state = loadLocal() || { mode: 'all', cap: 0.001, search: '', sort: 'name' };
  const [catalog, status, system] = await Promise.all([api.get('/api/v1/models'),
    api.get('/api/v1/models/status').catch(() => null), api.get('/api/v1/models/system').catch(() => null)]);
  const hasOpenRouter = !!status && Object.values(status.providers || {}).some(p => p.provider_type === 'openrouter');
  // A first visit opens on "All", so models without a known price (custom endpoints, local ones) are on the first
  // page too. The server's OpenRouter filter is described, not adopted: it shapes that provider's catalog only.
  let serverFilter = null;
  if (hasOpenRouter) {
    try {
      serverFilter = (await api.get('/api/v1/models/openrouter/filter')).settings;
      if (!loadLocal()) state.cap = serverFilter.max_cost_per_token;
    } catch { /* the page works without it */ }
  }
  let models = catalog.models;

  const searchId = uid('search');
  const sortId = uid('sort');
  const sliderId = uid('cap');
  const search = h('input', { id: searchId, type: 'search', placeholder: 'name, id, provider, capability', value: state.search });
  const sort = h('select', { id: sortId },
    h('option', { value: 'name' }, 'Name'),
    h('option', { value: 'cost' }, 'Cost (cheapest first)'),
    h('option', { value: 'performance' }, 'Performance (best first)'),
    h('option', { value: 'context' }, 'Context length (longest first)'));
  sort.value = state.sort;
  const modes = ['all', 'free', 'affordable'].map(m => {
    const input = h('input', { type: 'radio', name: 'cost-mode', value: m, id: 'mode-' + m });
    input.checked = state.mode === m;
    return h('label', { for: 'mode-' + m, class: 'radio' }, input,
      { all: 'All', free: 'Free only', affordable: 'Affordable' }[m]);
  });
  const slider = h('input', { id: sliderId, type: 'range', min: 0, max: SLIDER_MAX, step: 1, value: posFor(state.cap) });
  const capText = h('output', { for: sliderId, id: 'cap-value' });
  const count = h('p', { id: 'model-count', class: 'muted', 'aria-live': 'polite' });
  const list = h('ul', { id: 'model-list', class: 'cards' });
  const syncNote = h('p', { class: 'muted small', id: 'filter-sync' }, serverFilter ? describe(serverFilter) : '');
  if (serverFilter && (serverFilter.show_free_only || serverFilter.prefer_free_models)) {
    // "All" is already chosen, so choosing it cannot turn the server's filter off; this does.
    const off = h('button', { type: 'button', class: 'link', id: 'server-filter-off' }, 'Show every OpenRouter model');
    off.addEventListener('click', () => { state.mode = 'all'; changed(true); });
    syncNote.append(' ', off);
  }

  main.append(
    h('h2', {}, 'Models'),
    h('section', { class: 'toolbar', 'aria-label': 'Search, sort and filter' },
      h('div', { class: 'field' }, h('label', { for: searchId }, 'Search'), search),
      h('div', { class: 'field' }, h('label', { for: sortId }, 'Sort by'), sort),
      h('fieldset', { class: 'field' }, h('legend', {}, 'Cost filter'), h('div', { class: 'radios' }, modes)),
      h('div', { class: 'field grow' },
        h('label', { for: sliderId }, 'Max cost per token (affordable)'),
        h('div', { class: 'slider' }, h('span', { class: 'muted small' }, '$0'), slider, h('span', { class: 'muted small' }, '$0.01')),
        capText),
      h('div', { class: 'field' }, h('span', { class: 'label', id: 'preset-label' }, 'Presets'),
        h('div', { class: 'presets', role: 'group', 'aria-labelledby': 'preset-label' },
          PRESETS.map(p => h('button', { type: 'button', class: 'preset', dataset: { preset: p.label }, onclick: () => {
            state.mode = p.mode; state.cap = p.cap; slider.value = posFor(p.cap);
            for (const r of main.querySelectorAll('input[name=cost-mode]')) r.checked = r.value === p.mode;
            changed(true);
          } }, p.label))))),
    h('p', { class: 'muted small legend' },
      'Cost bands (mean of prompt and completion price): free = $0; cheap < $1 per million tokens; ',
      'moderate < $10 per million; expensive ≥ $10 per million.'),
    count, syncNote, list);

  function matches(m) {
    const q = state.search.trim().toLowerCase();
    if (q) {
      const hay = [m.model_id, m.name, m.provider, m.provider_type, m.description, ...(m.capabilities || [])].join(' ').toLowerCase();
      if (!q.split(/\s+/).every(w => hay.includes(w))) return false;
    }
    const band = costBand(m);
    if (state.mode === 'free') return band === 'free';
    if (state.mode === 'affordable') return band === 'free' || (m.cost_per_token !== null && m.cost_per_token !== undefined && m.cost_per_token <= state.cap);
    return true;
  }

  function sorted(items) {
    const by = {
      name: (a, b) => (a.name || a.model_id).localeCompare(b.name || b.model_id),
      cost: (a, b) => (a.cost_per_token ?? Infinity) - (b.cost_per_token ?? Infinity) || a.model_id.localeCompare(b.model_id),
      performance: (a, b) => (b.performance_score ?? -1) - (a.performance_score ?? -1) || a.model_id.localeCompare(b.model_id),
      context: (a, b) => (b.context_length ?? -1) - (a.context_length ?? -1) || a.model_id.localeCompare(b.model_id),
    }[state.sort];
    return [...items].sort(by);
  }

  function card(m) {
    const band = costBand(m);
    const detailId = uid('detail');
    const detail = h('div', { id: detailId, class: 'detail', hidden: true });
    const toggle = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': detailId,
      onclick: () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        detail.hidden = !open;
        if (open) fillDetail(detail, m);
      } }, 'Details');
    return h('li', { class: 'model-card card', dataset: { modelId: modelKey(m), cost: m.cost_per_token ?? '', band } },
      h('div', { class: 'card-head' },
        h('h3', { class: 'model-name', title: m.name }, m.name),
        h('span', { class: 'badge cost-' + band, title: perMillion(m.cost_per_token) }, band === 'unknown' ? 'price unknown' : band)),
      h('p', { class: 'model-id mono', title: modelKey(m) }, modelKey(m)),
      h('div', { class: 'chips' },
        h('span', { class: 'badge provider' }, m.provider),
        (m.capabilities || []).map(c => h('span', { class: 'chip' }, c)),
        m.loaded === true ? h('span', { class: 'chip ok' }, 'loaded') : null),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Price'), h('dd', { class: 'price' }, perMillion(m.cost_per_token)),
        h('dt', {}, 'Context'), h('dd', {}, m.context_length ? num(m.context_length, 0) + ' tokens' : '—'),
        h('dt', {}, 'Performance'), h('dd', {}, m.performance_score ?? '—'),
        h('dt', {}, 'Safety'), h('dd', {}, m.therapeutic_safety_score ?? '—')),
      toggle, detail);
  }

  function fillDetail(detail, m) {
    const rows = [
      ['Description', m.description || '—'],
      ['Provider type', m.provider_type],
      ['Prompt price', usd(m.prompt_price_per_token) + ' / token'],
      ['Completion price', usd(m.completion_price_per_token) + ' / token'],
      ['Max completion tokens', m.max_completion_tokens ?? '—'],
      ['Tasks', (m.supported_tasks || []).join(', ') || 'any'],
      ...Object.entries(m.details || {}).map(([k, v]) => [k.replace(/_/g, ' '), v]),
    ];
    const local = system && (system.local_models || []).find(l => l.model_id === m.model_id && l.provider === m.provider);
    detail.replaceChildren(
      h('dl', { class: 'facts wide' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])),
      local ? h('div', { class: 'fit ' + (local.compatible ? 'ok' : 'bad') },
        h('strong', {}, 'Hardware fit: ', local.compatible ? 'fits this machine' : 'does not fit this machine'),
        h('p', { class: 'small' }, 'Needs about ', num(local.requirements?.ram_gb), ' GB RAM',
          local.requirements?.vram_gb ? ' (or ' + num(local.requirements.vram_gb) + ' GB VRAM)' : '',
          local.gpu ? '; runs on the GPU' : '; runs on the CPU'),
        (local.warnings || []).map(w => h('p', { class: 'small warn' }, w)))
        : (m.provider_type === 'ollama' || m.provider_type === 'lm_studio' || m.provider_type === 'local')
          ? h('p', { class: 'small muted' }, 'Hardware fit: not known for this model.') : null);
  }

  function draw() {
    const shown = sorted(models.filter(matches));
    list.replaceChildren(...shown.map(card));
    count.textContent = shown.length + ' of ' + models.length + ' models';
    capText.textContent = state.mode === 'affordable' ? 'up to ' + usd(state.cap) + ' per token (' + perMillion(state.cap) + ')'
      : 'up to ' + usd(state.cap) + ' per token (used when "Affordable" is chosen)';
    slider.setAttribute('aria-valuetext', usd(state.cap) + ' per token');
    if (!shown.length) list.append(h('li', { class: 'empty' }, 'No model matches these filters.'));
  }

  let pushTimer = null;
  let pushSeq = 0;
  function persist(toServer) {
    localStorage.setItem(STORE, JSON.stringify(state));
    if (!hasOpenRouter || !toServer) return;
    clearTimeout(pushTimer);
    pushTimer = setTimeout(async () => {
      const seq = ++pushSeq;
      // "All" turns the server-side filter off; "free only" and "affordable" shape the OpenRouter catalog there too.
      const body = state.mode === 'free' ? { show_free_only: true }
        : state.mode === 'affordable' ? { show_free_only: false, prefer_free_models: true, max_cost_per_token: state.cap }
          : { show_free_only: false, prefer_free_models: false };
      syncNote.textContent = 'Saving filter to the server…';
      try {
        await api.post('/api/v1/models/openrouter/filter', body);
        const fresh = await api.get('/api/v1/models');
        if (seq !== pushSeq) return;
        models = fresh.models;
        syncNote.textContent = 'Filter saved on the server (OpenRouter) and in this browser.';
        draw();
      } catch (e) {
        syncNote.textContent = 'Could not save the filter on the server: ' + e.message;
        toast('Filter not saved on the server: ' + e.message);
      }
    }, 250);
  }

  function changed(toServer) { draw(); persist(toServer); }

  search.addEventListener('input', () => { state.search = search.value; changed(false); });
  sort.addEventListener('change', () => { state.sort = sort.value; changed(false); });
  for (const r of main.querySelectorAll('input[name=cost-mode]')) {
    r.addEventListener('change', () => { state.mode = r.value; changed(true); });
  }
  slider.addEventListener('input', () => {
    state.cap = capFor(Number(slider.value));
    state.mode = 'affordable';
    for (const r of main.querySelectorAll('input[name=cost-mode]')) r.checked = r.value === 'affordable';
    changed(true);
  });
  draw();
  return () => clearTimeout(pushTimer);
}

// Providers and health: GET /status (providers, loaded models) and /fallback/statistics with a reset per model.
import { h, num, errorBox, toast } from '../util.js';

export async function render(main, api) {
  const providersBox = h('div', { id: 'providers', class: 'grid' });
  const failuresBox = h('div', { id: 'failures' });
  const refresh = h('button', { type: 'button', onclick: () => load() }, 'Refresh');
  main.append(h('div', { class: 'row between' }, h('h2', {}, 'Providers & health'), refresh),
    providersBox, h('h3', {}, 'Fallback statistics'), failuresBox);

  async function load() {
    const [status, stats] = await Promise.all([api.get('/api/v1/models/status'), api.get('/api/v1/models/fallback/statistics')]);
    providersBox.replaceChildren(...Object.values(status.providers || {}).map(p => h('section', {
      class: 'card provider-card', dataset: { provider: p.name }, 'aria-label': 'Provider ' + p.name },
      h('div', { class: 'card-head' }, h('h4', {}, p.name),
        h('span', { class: 'badge ' + (p.healthy ? 'ok' : 'bad') }, p.healthy ? 'healthy' : 'unhealthy')),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Type'), h('dd', {}, p.provider_type),
        h('dt', {}, 'Endpoint'), h('dd', { class: 'mono small wrap' }, p.endpoint || '—'),
        h('dt', {}, 'Models'), h('dd', {}, p.available_models_count),
        h('dt', {}, 'Loaded'), h('dd', {}, (p.loaded_models || []).length ? p.loaded_models.join(', ') : 'none'),
        h('dt', {}, 'Last error'), h('dd', { class: 'wrap' }, p.last_error || '—')))));

    const cfg = stats.config || {};
    const rows = Object.entries(stats.recent_failure_details || {});
    failuresBox.replaceChildren(
      h('p', { class: 'muted small' }, 'A model is cooled down after ', cfg.allowed_fails ?? '—', ' failures for ',
        num(cfg.cooldown_seconds, 0), ' s; failed models are avoided for ', cfg.exclude_failed_models_minutes ?? '—', ' minutes.'),
      rows.length ? h('table', { id: 'failure-table' },
        h('caption', { class: 'sr-only' }, 'Recent failures per model'),
        h('thead', {}, h('tr', {}, ['Model', 'Failures', 'Last failure', 'Kind', 'State', ''].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map(([model, d]) => h('tr', { dataset: { model } },
          h('td', { class: 'mono' }, model), h('td', { class: 'failures' }, d.total_failures),
          h('td', {}, num(d.minutes_since_failure, 1) + ' min ago'),
          h('td', {}, d.last_failure_kind || '—', d.last_error ? h('div', { class: 'muted small wrap' }, d.last_error) : null),
          h('td', {}, d.state || '—', d.cooldown_remaining_seconds ? ' (' + num(d.cooldown_remaining_seconds, 0) + ' s left)' : ''),
          h('td', {}, h('button', { type: 'button', class: 'reset', 'aria-label': 'Reset failures of ' + model, onclick: async (ev) => {
            ev.target.disabled = true;
            try {
              await api.post('/api/v1/models/fallback/reset/' + encodeURI(model));
              toast('Reset failures of ' + model);
              await load();
            } catch (e) { ev.target.disabled = false; toast('Reset failed: ' + e.message); }
          } }, 'Reset'))))))
        : h('p', { id: 'no-failures' }, 'No recent failures.'),
      Object.keys(stats.deployment_states || {}).length ? h('details', {}, h('summary', {}, 'Deployment states'),
        h('pre', { class: 'small' }, JSON.stringify(stats.deployment_states, null, 2))) : '');
  }
  try { await load(); } catch (e) { main.append(errorBox(e)); }
}

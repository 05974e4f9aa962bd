// System: detected hardware (GET /system) and recommendations per task (GET /recommendations/details?task_type=:
// installed models that fit first, then the seed's list, each with whether it fits and why).
import { h, uid, num, errorBox } from '../util.js';

const TASKS = ['general_chat', 'narrative_generation', 'dialogue_generation', 'character_development',
  'therapeutic_response', 'world_building', 'choice_generation', 'consequence_analysis'];

export async function render(main, api) {
  const s = await api.get('/api/v1/models/system');
  const r = s.system_resources || {};
  const taskId = uid('task');
  const task = h('select', { id: taskId }, TASKS.map(t => h('option', { value: t }, t.replace(/_/g, ' '))));
  const recs = h('div', { id: 'recommendations', 'aria-live': 'polite' });
  async function loadRecs() {
    try {
      const data = await api.get('/api/v1/models/recommendations/details?task_type=' + encodeURIComponent(task.value));
      const list = Array.isArray(data.models) ? data.models : [];
      recs.replaceChildren(list.length
        ? h('table', { id: 'rec-table' }, h('thead', {}, h('tr', {}, ['Model', 'Fits', 'Why'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, list.map(m => h('tr', {}, h('td', { class: 'mono small' }, (m.provider ? m.provider + ':' : '') + m.model_id),
            h('td', {}, h('span', { class: 'badge ' + (m.compatible ? 'ok' : 'bad') }, m.compatible ? 'yes' : 'no')),
            h('td', { class: 'small' }, m.reason || (m.warnings || []).join('; ') || '—')))))
        : h('p', { class: 'muted' }, 'No recommendation for this task.'),
        h('details', {}, h('summary', {}, 'Raw answer'), h('pre', { class: 'small wrap' }, JSON.stringify(data, null, 2))));
    } catch (e) { recs.replaceChildren(errorBox(e)); }
  }
  task.addEventListener('change', loadRecs);
  main.append(h('h2', {}, 'System'),
    h('div', { class: 'split' },
      h('section', { class: 'card', 'aria-labelledby': 'hw-h' }, h('h3', { id: 'hw-h' }, 'Hardware'),
        h('dl', { class: 'facts wide', id: 'hardware' },
          h('dt', {}, 'CPU'), h('dd', {}, (r.cpu_model || '—') + ' · ' + (r.cpu_cores ?? '—') + ' cores'),
          h('dt', {}, 'RAM'), h('dd', {}, num(r.available_ram_gb) + ' GB free of ' + num(r.total_ram_gb) + ' GB'),
          h('dt', {}, 'GPU'), h('dd', {}, r.has_gpu ? (r.gpu_info || []).map(g => g.name || JSON.stringify(g)).join(', ') + ' · ' + num(r.total_gpu_memory_gb) + ' GB VRAM' : 'none'),
          h('dt', {}, 'Disk'), h('dd', {}, num(r.disk_space_gb) + ' GB free'),
          h('dt', {}, 'Platform'), h('dd', {}, (r.platform || '—') + ' ' + (r.architecture || '')),
          h('dt', {}, 'Tier'), h('dd', {}, s.tiers ? s.tiers.description : '—')),
        h('h4', {}, 'Model sizes this machine runs'),
        h('table', {}, h('thead', {}, h('tr', {}, ['Parameters', 'RAM', 'VRAM', 'Fits'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, (s.size_classes || []).map(c => h('tr', {}, h('td', {}, c.parameters), h('td', { class: 'num' }, num(c.ram_gb) + ' GB'),
            h('td', { class: 'num' }, num(c.vram_gb) + ' GB'), h('td', {}, h('span', { class: 'badge ' + (c.compatible ? 'ok' : 'bad') }, c.compatible ? 'yes' : 'no'))))))),
      h('section', { class: 'card stack', 'aria-labelledby': 'rec-h' }, h('h3', { id: 'rec-h' }, 'Recommendations'),
        h('p', {}, 'For this machine: ', (s.recommendations || []).join(', ') || 'none'),
        h('div', { class: 'field' }, h('label', { for: taskId }, 'Task type'), task), recs,
        h('h4', {}, 'Local models'),
        (s.local_models || []).length ? h('ul', { class: 'plain' }, s.local_models.map(l => h('li', {},
          h('span', { class: 'mono' }, l.provider + ':' + l.model_id), ' — ', l.compatible ? 'fits' : 'does not fit',
          (l.warnings || []).length ? h('span', { class: 'muted small' }, ' (' + l.warnings.join('; ') + ')') : '')))
          : h('p', { class: 'muted' }, 'No local models.'))));
  await loadRecs();
}

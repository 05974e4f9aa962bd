// Playground: a task type or a model, a prompt, the streamed answer (SSE from POST /api/v1/models/generate read
// with fetch, since EventSource cannot POST) and the routing explanation from the done event's metadata.routing.
import { readSse } from '../api.js';
import { h, uid, num, usd, modelKey, errorBox } from '../util.js';

const TASKS = ['general_chat', 'narrative_generation', 'dialogue_generation', 'character_development',
  'therapeutic_response', 'world_building', 'choice_generation', 'consequence_analysis'];

export async function render(main, api) {
  const { models } = await api.get('/api/v1/models');
  const taskId = uid('task'); const modelId = uid('model'); const promptId = uid('prompt'); const maxId = uid('max');
  const task = h('select', { id: taskId }, TASKS.map(t => h('option', { value: t }, t.replace(/_/g, ' '))));
  const model = h('select', { id: modelId }, h('option', { value: '' }, 'Let Switchboard choose'),
    models.map(m => h('option', { value: modelKey(m) }, modelKey(m))));
  const prompt = h('textarea', { id: promptId, rows: 5, required: true }, '');
  const maxTokens = h('input', { id: maxId, type: 'number', min: 1, max: 8192, value: 256 });
  const send = h('button', { type: 'submit', id: 'send' }, 'Send');
  const stop = h('button', { type: 'button', id: 'stop', disabled: true }, 'Stop');
  const output = h('pre', { id: 'answer', class: 'answer', 'aria-live': 'polite', 'aria-label': 'Answer' });
  const meta = h('p', { id: 'answer-meta', class: 'muted small' });
  const explain = h('div', { id: 'explanation', class: 'explanation' }, h('p', { class: 'muted' }, 'The routing explanation appears here after a request.'));
  let controller = null;

  const form = h('form', { class: 'card stack', onsubmit: async (ev) => {
    ev.preventDefault();
    if (!prompt.value.trim()) { prompt.focus(); return; }
    controller = new AbortController();
    send.disabled = true; stop.disabled = false;
    output.textContent = ''; meta.textContent = 'Streaming…'; output.dataset.state = 'streaming';
    const body = { prompt: prompt.value, task_type: task.value, max_tokens: Number(maxTokens.value) || 256, stream: true };
    if (model.value) body.model_id = model.value;
    try {
      const res = await api.stream('/api/v1/models/generate', body);
      if (!res.ok) {
        const data = await res.json().catch(() => ({}));
        output.dataset.state = 'error';
        meta.textContent = 'Failed: ' + (data.detail || 'HTTP ' + res.status);
        if (data.routing) showExplanation(explain, data.routing);
        return;
      }
      await readSse(res, (name, data) => {
        const event = JSON.parse(data);
        if (name === 'token') output.textContent += event.text;
        else if (name === 'done') {
          output.dataset.state = 'done';
          const u = event.usage || {};
          meta.textContent = 'Answered by ' + event.provider + ':' + event.model_id + ' in ' + num(event.latency_ms, 0)
            + ' ms · ' + (u.total_tokens ?? '—') + ' tokens · cost ' + usd(u.cost ?? 0);
          if (event.metadata && event.metadata.routing) showExplanation(explain, event.metadata.routing);
        } else if (name === 'error') {
          output.dataset.state = 'error';
          meta.textContent = 'Failed mid-stream: ' + event.detail;
        }
      });
    } catch (e) {
      output.dataset.state = 'error';
      meta.textContent = 'Failed: ' + e.message;
    } finally {
      send.disabled = false; stop.disabled = true; controller = null;
    }
  } },
  h('div', { class: 'row' },
    h('div', { class: 'field' }, h('label', { for: taskId }, 'Task type'), task),
    h('div', { class: 'field grow' }, h('label', { for: modelId }, 'Model (optional)'), model),
    h('div', { class: 'field' }, h('label', { for: maxId }, 'Max tokens'), maxTokens)),
  h('div', { class: 'field' }, h('label', { for: promptId }, 'Prompt'), prompt),
  h('div', { class: 'row' }, send, stop));
  stop.addEventListener('click', () => controller && controller.abort());

  main.append(h('h2', {}, 'Playground'),
    h('div', { class: 'split' },
      h('div', { class: 'stack' }, form, h('section', { class: 'card', 'aria-labelledby': 'answer-h' },
        h('h3', { id: 'answer-h' }, 'Answer'), output, meta)),
      h('section', { class: 'card', 'aria-labelledby': 'explain-h' }, h('h3', { id: 'explain-h' }, 'Why this model'), explain)));
}

export function showExplanation(box, r) {
  const runnersUp = (r.candidates || []).filter(c => c.model !== r.chosen);
  box.replaceChildren(
    h('p', {}, 'Strategy ', h('strong', {}, r.strategy || '—'), ' for task ', h('strong', {}, (r.task_type || '—').replace(/_/g, ' '))),
    h('p', { id: 'chosen' }, 'Chosen: ', h('strong', { class: 'mono' }, r.chosen || 'none')),
    h('h4', {}, 'Runners-up'),
    runnersUp.length ? h('ol', { id: 'runners-up', class: 'plain' }, runnersUp.map(c => h('li', {},
      h('span', { class: 'mono' }, c.model), ' ', h('span', { class: 'score' }, c.score === undefined ? '' : 'score ' + num(c.score, 2)),
      c.note ? h('span', { class: 'muted small' }, ' — ' + c.note) : null)))
      : h('p', { class: 'muted' }, 'None.'),
    h('h4', {}, 'Excluded'),
    (r.excluded || []).length ? h('ul', { id: 'excluded', class: 'plain' }, r.excluded.map(x => h('li', {},
      h('span', { class: 'mono' }, x.model), h('span', { class: 'muted small' }, ' — ' + x.reason))))
      : h('p', { class: 'muted' }, 'None.'),
    (r.attempts || []).length ? h('details', {}, h('summary', {}, 'Attempts (' + r.attempts.length + ')'),
      h('ul', { class: 'plain' }, r.attempts.map(a => h('li', {}, h('span', { class: 'mono' }, a.model), ': ', a.outcome,
        a.duration_ms !== undefined ? ' in ' + num(a.duration_ms, 0) + ' ms' : '', a.error ? ' — ' + a.error : '')))) : null);
}

// Performance: system totals and per-model latency p50/p95/p99 (uPlot chart), tokens/s, success rate and request
// volume from GET /performance (per model under the seed's names: requests, avg_response_time_ms, success_rate);
// a connectivity test per model (POST /test).
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { h, uid, num, usd, modelKey, errorBox } from '../util.js';

const HOURS = [1, 6, 24, 168];

export async function render(main, api) {
  const hoursId = uid('hours');
  const hours = h('select', { id: hoursId }, HOURS.map(n => h('option', { value: n }, n === 168 ? 'last 7 days' : 'last ' + n + ' h')));
  hours.value = '24';
  const totals = h('dl', { id: 'perf-totals', class: 'facts totals' });
  const chartBox = h('div', { id: 'latency-chart', class: 'chart', role: 'img', 'aria-label': 'Latency percentiles per model' });
  const table = h('tbody', { id: 'perf-table' });
  const { models } = await api.get('/api/v1/models');
  const testSel = uid('test-model');
  const testModel = h('select', { id: testSel }, models.map(m => h('option', { value: modelKey(m), dataset: { id: m.model_id, provider: m.provider } }, modelKey(m))));
  const testOut = h('p', { id: 'test-result', 'aria-live': 'polite' });
  const testBtn = h('button', { type: 'button', id: 'run-test', onclick: async () => {
    const opt = testModel.selectedOptions[0];
    testBtn.disabled = true; testOut.textContent = 'Testing…';
    try {
      const r = await api.post('/api/v1/models/test', { model_id: opt.dataset.id, provider_name: opt.dataset.provider });
      testOut.textContent = (r.status === 'success' ? '✔ ' : '✘ ') + r.status + ' in ' + num(r.latency_ms, 0) + ' ms'
        + (r.test_response ? ': “' + r.test_response + '”' : '') + (r.error ? ' — ' + r.error : '');
      testOut.className = r.status === 'success' ? 'ok' : 'error';
    } catch (e) { testOut.textContent = 'Test failed: ' + e.message; testOut.className = 'error'; }
    finally { testBtn.disabled = false; load(); }
  } }, 'Run connectivity test');

  main.append(h('div', { class: 'row between' }, h('h2', {}, 'Performance'),
    h('div', { class: 'field inline' }, h('label', { for: hoursId }, 'Window'), hours)),
  h('section', { class: 'card' }, h('h3', {}, 'System totals'), totals),
  h('section', { class: 'card' }, h('h3', {}, 'Latency per model (ms)'), chartBox,
    h('table', {}, h('caption', {}, 'Per model'),
      h('thead', {}, h('tr', {}, ['Model', 'Requests', 'Success', 'p50 ms', 'p95 ms', 'p99 ms', 'Tokens/s', 'Cost'].map(t => h('th', { scope: 'col' }, t)))),
      table)),
  h('section', { class: 'card row' }, h('div', { class: 'field grow' }, h('label', { for: testSel }, 'Model to test'), testModel), testBtn, testOut));

  let plot = null;
  async function load() {
    const p = await api.get('/api/v1/models/performance?timeframe_hours=' + hours.value);
    totals.replaceChildren(
      h('dt', {}, 'Requests'), h('dd', {}, p.total_requests), h('dt', {}, 'Errors'), h('dd', {}, p.total_errors),
      h('dt', {}, 'Success rate'), h('dd', {}, p.overall_success_rate == null ? '—' : num(p.overall_success_rate * 100, 1) + '%'),
      h('dt', {}, 'Average latency'), h('dd', {}, num(p.average_response_time_ms, 0) + ' ms'),
      h('dt', {}, 'p95 / p99'), h('dd', {}, num(p.p95_response_time_ms, 0) + ' / ' + num(p.p99_response_time_ms, 0) + ' ms'),
      h('dt', {}, 'Tokens'), h('dd', {}, p.total_tokens), h('dt', {}, 'Cost'), h('dd', {}, usd(p.total_cost_usd, 4)));
    const entries = Object.entries(p.models || {}).sort((a, b) => a[0].localeCompare(b[0]));
    const maxReq = Math.max(1, ...entries.map(([, m]) => m.requests));
    table.replaceChildren(...entries.map(([id, m]) => h('tr', { dataset: { model: id } },
      h('th', { scope: 'row', class: 'mono small' }, id),
      h('td', {}, h('meter', { min: 0, max: maxReq, value: m.requests, 'aria-label': 'requests' }), ' ', m.requests),
      h('td', {}, h('meter', { min: 0, max: 1, low: 0.9, optimum: 1, value: m.success_rate ?? 0, 'aria-label': 'success rate' }), ' ',
        m.success_rate == null ? '—' : num(m.success_rate * 100, 0) + '%'),
      h('td', { class: 'num' }, num(m.p50_response_time_ms, 0)), h('td', { class: 'num' }, num(m.p95_response_time_ms, 0)),
      h('td', { class: 'num' }, num(m.p99_response_time_ms, 0)), h('td', { class: 'num' }, num(m.average_tokens_per_second, 0)),
      h('td', { class: 'num' }, usd(m.total_cost_usd, 4)))));
    if (plot) { plot.destroy(); plot = null; }
    chartBox.replaceChildren();
    chartBox.dataset.series = String(entries.length);
    if (!entries.length) { chartBox.append(h('p', { class: 'muted', id: 'no-data' }, 'No requests in this window yet.')); return; }
    const xs = entries.map((_, i) => i);
    const val = (k) => entries.map(([, m]) => m[k] ?? null);
    const bars = uPlot.paths.bars;
    const series = [
      { label: 'p50', stroke: '#1f6feb', fill: '#1f6feb', paths: bars({ size: [0.25, 40], align: -1 }), points: { show: false } },
      { label: 'p95', stroke: '#b35900', fill: '#b35900', paths: bars({ size: [0.25, 40], align: 0 }), points: { show: false } },
      { label: 'p99', stroke: '#8250df', fill: '#8250df', paths: bars({ size: [0.25, 40], align: 1 }), points: { show: false } },
    ];
    const width = Math.max(320, chartBox.clientWidth || 800);
    plot = new uPlot({
      width, height: 260,
      scales: { x: { time: false, range: [-0.6, entries.length - 0.4] }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
      axes: [{ values: (u, ticks) => ticks.map(t => Number.isInteger(t) && entries[t] ? shorten(entries[t][0]) : ''), splits: () => xs },
        { label: 'ms' }],
      series: [{ label: 'model', value: (u, v) => v == null || !entries[v] ? '' : entries[v][0] },
        ...series.map(s => ({ ...s, value: (u, v) => v == null ? '—' : num(v, 0) + ' ms' }))],
    }, [xs, val('p50_response_time_ms'), val('p95_response_time_ms'), val('p99_response_time_ms')], chartBox);
  }
  hours.addEventListener('change', () => load().catch(e => chartBox.replaceChildren(errorBox(e))));
  await load();
  return () => { if (plot) plot.destroy(); };
}

function shorten(id) { return id.length > 22 ? id.slice(0, 20) + '…' : id; }

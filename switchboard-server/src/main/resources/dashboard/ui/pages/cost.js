// Cost: N tokens for a model, monthly scenarios, a side-by-side comparison, and spend against budgets (/spend).
import { h, uid, usd, modelKey, perMillion, num } from '../util.js';

/** Tokens per month for each scenario (requests per day × tokens per request × 30 days). */
export const SCENARIOS = [
  { name: 'Light', perDay: 20, tokens: 500 },
  { name: 'Regular', perDay: 200, tokens: 1000 },
  { name: 'Heavy', perDay: 2000, tokens: 2000 },
];

export async function render(main, api) {
  const [{ models }, spend] = await Promise.all([api.get('/api/v1/models'), api.get('/api/v1/models/spend').catch(() => null)]);
  const priced = models.filter(m => m.cost_per_token !== null && m.cost_per_token !== undefined)
    .sort((a, b) => a.cost_per_token - b.cost_per_token || a.model_id.localeCompare(b.model_id));
  const modelSel = uid('cost-model'); const tokId = uid('tokens');
  const select = h('select', { id: modelSel }, priced.map(m => h('option', { value: modelKey(m) }, modelKey(m) + ' — ' + perMillion(m.cost_per_token))));
  const tokens = h('input', { id: tokId, type: 'number', min: 0, step: 1000, value: 1000000 });
  const result = h('output', { id: 'cost-result', for: modelSel + ' ' + tokId, class: 'big' });
  const scenarios = h('tbody', { id: 'scenarios' });
  const byKey = new Map(priced.map(m => [modelKey(m), m]));

  function calc() {
    const m = byKey.get(select.value);
    const n = Math.max(0, Number(tokens.value) || 0);
    if (!m) { result.textContent = '—'; return; }
    result.textContent = usd(n * m.cost_per_token);
    result.dataset.value = String(n * m.cost_per_token);
    scenarios.replaceChildren(...SCENARIOS.map(s => {
      const monthly = s.perDay * s.tokens * 30;
      return h('tr', {}, h('th', { scope: 'row' }, s.name), h('td', {}, s.perDay + ' requests/day × ' + s.tokens + ' tokens'),
        h('td', {}, num(monthly, 0)), h('td', { class: 'num' }, usd(monthly * m.cost_per_token, 2)));
    }));
  }
  select.addEventListener('change', calc);
  tokens.addEventListener('input', calc);

  const picked = new Set([...priced.filter(m => m.cost_per_token > 0), ...priced].slice(0, 3).map(modelKey));
  const compareBody = h('tbody', { id: 'compare' });
  const checks = h('fieldset', { class: 'checks' }, h('legend', {}, 'Models to compare'), priced.map(m => {
    const id = uid('cmp');
    const box = h('input', { type: 'checkbox', id, value: modelKey(m) });
    box.checked = picked.has(modelKey(m));
    box.addEventListener('change', () => { box.checked ? picked.add(box.value) : picked.delete(box.value); compare(); });
    return h('label', { for: id, class: 'check' }, box, h('span', { class: 'mono small' }, modelKey(m)));
  }));
  function compare() {
    compareBody.replaceChildren(...priced.filter(m => picked.has(modelKey(m))).map(m => h('tr', {},
      h('th', { scope: 'row', class: 'mono small' }, modelKey(m)), h('td', {}, perMillion(m.cost_per_token)),
      SCENARIOS.map(s => h('td', { class: 'num' }, usd(s.perDay * s.tokens * 30 * m.cost_per_token, 2))))));
  }

  const spendRows = spend ? [['All providers', spend.global], ...Object.entries(spend.providers || {})] : [];
  main.append(h('h2', {}, 'Cost'),
    h('div', { class: 'split' },
      h('section', { class: 'card stack', 'aria-labelledby': 'calc-h' }, h('h3', { id: 'calc-h' }, 'Estimate'),
        h('div', { class: 'field' }, h('label', { for: modelSel }, 'Model'), select),
        h('div', { class: 'field' }, h('label', { for: tokId }, 'Tokens'), tokens),
        h('p', {}, 'Estimated cost: ', result),
        h('p', { class: 'muted small' }, 'Uses cost_per_token, the mean of the prompt and completion prices.'),
        h('table', {}, h('caption', {}, 'Monthly scenarios for this model'),
          h('thead', {}, h('tr', {}, ['Scenario', 'Usage', 'Tokens / month', 'Cost / month'].map(t => h('th', { scope: 'col' }, t)))),
          scenarios)),
      h('section', { class: 'card', 'aria-labelledby': 'spend-h' }, h('h3', { id: 'spend-h' }, 'Spend against budgets'),
        spend ? h('table', { id: 'spend' },
          h('thead', {}, h('tr', {}, ['', 'Today', 'Daily cap', 'This month', 'Monthly cap'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, spendRows.map(([name, s]) => h('tr', {}, h('th', { scope: 'row' }, name),
            h('td', { class: 'num' }, usd(s.spent_today_usd, 4)), h('td', { class: 'num' }, s.daily_cap_usd == null ? 'none' : usd(s.daily_cap_usd, 2)),
            h('td', { class: 'num' }, usd(s.spent_this_month_usd, 4)), h('td', { class: 'num' }, s.monthly_cap_usd == null ? 'none' : usd(s.monthly_cap_usd, 2))))))
          : h('p', { class: 'muted' }, 'Spend is not available.'))),
    h('section', { class: 'card', 'aria-labelledby': 'cmp-h' }, h('h3', { id: 'cmp-h' }, 'Compare models (per month)'), checks,
      h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Model'), h('th', { scope: 'col' }, 'Price'),
        SCENARIOS.map(s => h('th', { scope: 'col' }, s.name)))), compareBody)));
  calc();
  compare();
}

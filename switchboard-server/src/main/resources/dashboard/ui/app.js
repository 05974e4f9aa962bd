// Hash router and page loader. Each page module exports render(main) and may return a cleanup function.
import { api } from './api.js';

const pages = {
  models: () => import('./pages/models.js'),
  playground: () => import('./pages/playground.js'),
  providers: () => import('./pages/providers.js'),
  cost: () => import('./pages/cost.js'),
  performance: () => import('./pages/performance.js'),
  system: () => import('./pages/system.js'),
};

let cleanup = null;
let shown = 0;

async function show() {
  const seq = ++shown;
  const name = (location.hash.replace(/^#\/?/, '').split('?')[0]) || 'models';
  const page = pages[name] ? name : 'models';
  const main = document.getElementById('main');
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  main.setAttribute('aria-busy', 'true');
  main.dataset.page = page;
  // Each page renders into its own view: a page still loading when the user moves on writes into a detached node.
  const view = document.createElement('div');
  view.className = 'view';
  main.replaceChildren(view);
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === '#/' + page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    const mod = await pages[page]();
    const done = await mod.render(view, api);
    if (seq === shown) cleanup = done;
    else if (typeof done === 'function') done();
  } catch (e) {
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = 'Could not load this page: ' + e.message;
    view.append(p);
  } finally {
    if (seq === shown) main.setAttribute('aria-busy', 'false');
  }
}

window.addEventListener('hashchange', show);
show();

// Calls the Switchboard API. On a 401 it asks for an API key once, keeps it for the session and retries.
const KEY = 'switchboard.apiKey';
let asking = null;

function headers(extra) {
  const h = { ...extra };
  const key = sessionStorage.getItem(KEY);
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

async function askForKey() {
  if (!asking) {
    asking = Promise.resolve().then(() => {
      const key = window.prompt('This Switchboard needs an API key. It is kept for this browser session only.');
      if (key) sessionStorage.setItem(KEY, key.trim());
      return !!key;
    }).finally(() => { setTimeout(() => { asking = null; }, 0); });
  }
  return asking;
}

export async function request(method, path, body, { raw = false } = {}) {
  const init = () => ({
    method,
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const sentWith = sessionStorage.getItem(KEY);
  let res = await fetch(path, init());
  // A key stored while this call was under way (another call's prompt) is tried before asking again.
  if (res.status === 401 && (sessionStorage.getItem(KEY) !== sentWith || await askForKey())) res = await fetch(path, init());
  if (raw) return res;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (!res.ok) {
    const msg = data && (data.detail || (data.error && data.error.message)) || ('HTTP ' + res.status);
    const err = new Error(typeof msg === 'string' ? msg : JSON.stringify(msg));
    err.status = res.status;
    err.data = data;
    throw err;
  }
  return data;
}

/** Reads a Server-Sent Events response body, calling onEvent(name, data) per event. */
export async function readSse(res, onEvent) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
      let name = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, data.join('\n'));
    }
  }
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body === undefined ? {} : body),
  stream: (path, body) => request('POST', path, body, { raw: true }),
};

// The analytics API as the console uses it: every call carries the bearer token; event streams are
// read with fetch (EventSource cannot send an Authorization header).

const TOKEN_KEY = 'voicebus.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function get(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, body.error || response.statusText);
  }
  return body;
}

export async function consoleConfig() {
  const response = await fetch('/v1/console/config');
  return response.json();
}

/**
 * Follows /v1/calls/{id}/events: onEvent(name, data) for each server-sent event, until the stream
 * ends or the returned function is called. Reconnects after a drop, as EventSource would.
 */
export function follow(callId, onEvent) {
  const controller = new AbortController();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const response = await fetch(`/v1/calls/${encodeURIComponent(callId)}/events`, {
          headers: { Authorization: `Bearer ${token()}` },
          signal: controller.signal,
        });
        if (!response.ok) {
          onEvent('error', { status: response.status });
          if (response.status === 404 || response.status === 401 || response.status === 403) {
            return;
          }
        } else {
          const ended = await read(response.body, onEvent);
          if (ended) {
            return;
          }
        }
      } catch (e) {
        if (stopped) {
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  run();
  return () => {
    stopped = true;
    controller.abort();
  };
}

async function read(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return false;
    }
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const chunk = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of chunk.split('\n')) {
        if (line.startsWith('event:')) {
          name = line.slice(6).trim();
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).trim());
        }
      }
      if (data.length) {
        onEvent(name, JSON.parse(data.join('\n')));
      }
      if (name === 'end') {
        return true;
      }
    }
  }
}

/** Small DOM helper: el('div', {class: 'x'}, 'text', child). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '–';
}

export function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

export function seconds(ms) {
  return ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`;
}

export function money(usd) {
  return `$${(usd || 0).toFixed(4)}`;
}

// Calls to Hearsay's /v1 API with the bearer token, and its status event stream.

/** A failed call: the HTTP status (0 when Hearsay did not answer) and the message of OpenAI's error envelope. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  static async from(response) {
    let message = null;
    try {
      message = (await response.json()).error?.message;
    } catch {
      // Not an error envelope: fall back to the status line.
    }
    return new ApiError(response.status, message || `Hearsay answered ${response.status} ${response.statusText}.`);
  }
}

export class Api {
  /** @param {string} baseUrl @param {() => void} onRefused called whenever the token is refused (401). */
  constructor(baseUrl, onRefused) {
    this.baseUrl = baseUrl;
    this.token = null;
    this.onRefused = onRefused;
  }

  /** fetch() with the token; throws ApiError for a failure or an error status. */
  async fetch(path, init = {}) {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${this.token}`);
    let response;
    try {
      response = await fetch(new URL(path, this.baseUrl), { ...init, headers });
    } catch (error) {
      if (error.name === 'AbortError') {
        throw error;
      }
      throw new ApiError(0, 'Hearsay did not answer: is it still running?');
    }
    if (response.status === 401) {
      this.onRefused();
    }
    if (!response.ok) {
      throw await ApiError.from(response);
    }
    return response;
  }

  async json(path, init) {
    return (await this.fetch(path, init)).json();
  }

  /** POSTs (or DELETEs) a JSON body and returns the response. */
  send(path, body, method = 'POST') {
    return this.fetch(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }
}

// The server sends a keep-alive every 15 s; silence for much longer means a dead connection.
const silenceLimitMs = 40_000;

/**
 * Follows /v1/status/events until `signal` aborts, reconnecting after drops. EventSource cannot send an Authorization
 * header, so the stream is read with fetch.
 */
export async function watchStatus(api, { onStatus, onConnected, onDropped }, signal) {
  let delayMs = 1000;
  while (!signal.aborted) {
    const connection = new AbortController();
    const stop = () => connection.abort();
    signal.addEventListener('abort', stop);
    try {
      const response = await api.fetch('/v1/status/events', { headers: { Accept: 'text/event-stream' }, signal: connection.signal });
      onConnected();
      delayMs = 1000;
      for await (const event of readEvents(response.body, connection, silenceLimitMs)) {
        if (event.type === 'status') {
          onStatus(JSON.parse(event.data));
        }
      }
    } catch (error) {
      if (error.status === 401) {
        return;
      }
    } finally {
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) {
      return;
    }
    onDropped();
    await new Promise(resolve => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 10_000);
  }
}

/** Server-sent events from a response body: { type, data } per event; aborts `connection` after too long a silence. */
async function* readEvents(body, connection, silenceLimit) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let watchdog = setTimeout(() => connection.abort(), silenceLimit);
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      clearTimeout(watchdog);
      watchdog = setTimeout(() => connection.abort(), silenceLimit);
      buffer += value.replaceAll('\r\n', '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) {
          yield event;
        }
      }
    }
  } finally {
    clearTimeout(watchdog);
    reader.cancel().catch(() => {});
  }
}

function parseEvent(block) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      type = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  return data.length > 0 ? { type, data: data.join('\n') } : null;
}

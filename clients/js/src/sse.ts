/** One server-sent event: its `event:` name (`message` when it has none) and its `data:` lines joined by newlines. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Parses a `text/event-stream` body as it arrives (the WHATWG rules, minus `id:` and `retry:`, which Hearsay does not
 * send). EventSource itself cannot be used: it cannot send the `Authorization` header.
 */
export async function* readServerSentEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let pending = '';
  let event = '';
  let data: string[] = [];
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let lineEnd: number;
    while ((lineEnd = nextLineEnd(pending)) >= 0) {
      const line = pending.slice(0, lineEnd);
      // A CR LF pair counts as one line break, but only once both have arrived.
      const width = pending[lineEnd] === '\r' && pending[lineEnd + 1] === '\n' ? 2 : 1;
      pending = pending.slice(lineEnd + width);
      if (line === '') {
        if (data.length > 0) {
          yield { event: event || 'message', data: data.join('\n') };
        }
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) {
        value = value.slice(1);
      }
      if (field === 'event') {
        event = value;
      } else if (field === 'data') {
        data.push(value);
      }
    }
  }
}

/** Where the next complete line ends, or -1. A lone CR at the very end may be half of a CR LF still on its way. */
function nextLineEnd(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      return i;
    }
    if (c === '\r') {
      return i + 1 < text.length ? i : -1;
    }
  }
  return -1;
}

/** One server-sent event (WHATWG HTML, "Server-sent events"). */
export interface SseEvent {
  /** `event:` field; `message` when the server sets none. */
  event: string;
  /** The `data:` lines of the event joined by `\n`. */
  data: string;
  id?: string;
}

/**
 * Parses a byte stream of server-sent events. Network reads split the stream
 * anywhere (inside a line, a `\r\n` pair or a multi-byte character), so text
 * is decoded incrementally and only complete lines are interpreted.
 */
export async function* parseSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder('utf-8');
  const event = new PendingEvent();
  let buffer = '';
  let atStart = true;

  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    if (atStart && buffer.length > 0) {
      atStart = false;
      if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
    }
    let start = 0;
    for (;;) {
      const end = lineEnd(buffer, start);
      // A trailing `\r` may be the first half of `\r\n`: wait for the next chunk.
      if (end === -1 || (buffer[end] === '\r' && end === buffer.length - 1)) break;
      const dispatched = event.feed(buffer.slice(start, end));
      if (dispatched) yield dispatched;
      start = end + (buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1);
    }
    buffer = buffer.slice(start);
  }

  buffer += decoder.decode();
  for (const line of buffer.split(/\r\n|\r|\n/)) {
    const dispatched = event.feed(line);
    if (dispatched) yield dispatched;
  }
  // The spec drops an event cut off by the end of the stream; some servers
  // omit the final blank line, and their last event carries real data.
  const last = event.feed('');
  if (last) yield last;
}

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

class PendingEvent {
  private type = '';
  private data: string[] = [];
  private id: string | undefined;

  /** Interprets one line; returns the event that a blank line completes. */
  feed(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    // `retry` and unknown fields do not concern a one-shot request.
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const hasData = this.data.length > 0;
    const event: SseEvent = { event: this.type || 'message', data: this.data.join('\n') };
    if (this.id !== undefined) event.id = this.id;
    this.type = '';
    this.data = [];
    return hasData ? event : undefined;
  }
}

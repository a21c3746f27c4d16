// Follows the caller's job events (GET /jobs/events, Server-Sent Events) with fetch() and a
// ReadableStream, because EventSource cannot send an Authorization header. A server without the
// stream (404) is polled instead. Reconnects resume after the last event id (Last-Event-ID).
import { headers, root } from './api.js';

export const POLL_SECONDS = 3;

/** Parses a text/event-stream body as the HTML standard says: fields per line, a blank line ends a message. */
export class EventStreamParser {
  constructor(onMessage) {
    this.onMessage = onMessage;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
    this.id = null;
  }

  push(chunk) {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop();
    for (const line of lines) this.line(line);
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) this.onMessage({ type: this.event || 'message', data: this.data.join('\n'), id: this.id });
      this.reset();
      return;
    }
    if (line.startsWith(':')) return; // a comment: the keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id') this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }
}

const wait = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/**
 * Calls onEvent(data) for each job event, onMode('stream' | 'polling' | 'reconnecting' | 'refused')
 * when the way of following changes, and onPoll() every POLL_SECONDS when polling. Stops when
 * signal aborts.
 */
export async function follow({ onEvent, onMode, onPoll, signal }) {
  let lastId = null;
  let retry = 3000;
  while (!signal.aborted) {
    let response;
    try {
      const extra = { Accept: 'text/event-stream' };
      if (lastId) extra['Last-Event-ID'] = lastId;
      response = await fetch(new URL('jobs/events', root), { headers: headers(extra), signal, cache: 'no-store' });
    } catch {
      if (signal.aborted) return;
      onMode('reconnecting');
      await wait(retry, signal);
      continue;
    }

    // No stream here: an API from before streams (404, 405), or a store that keeps no events (501).
    if ([404, 405, 501].includes(response.status)) {
      onMode('polling');
      while (!signal.aborted) {
        await wait(POLL_SECONDS * 1000, signal);
        if (!signal.aborted) await onPoll();
      }
      return;
    }
    if (response.status === 401 || response.status === 403) {
      onMode('refused');
      return;
    }
    if (!response.ok || !response.body) {
      onMode('reconnecting');
      await wait(retry, signal);
      continue;
    }

    onMode('stream');
    const parser = new EventStreamParser((message) => {
      if (message.id) lastId = message.id;
      try {
        onEvent(JSON.parse(message.data));
      } catch {
        // Not JSON: not a job event of the contract; skipped.
      }
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        if (parser.retry) retry = parser.retry;
      }
    } catch {
      if (signal.aborted) return;
    }
    onMode('reconnecting');
    await wait(retry, signal);
  }
}

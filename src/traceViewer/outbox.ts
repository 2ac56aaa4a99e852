// The session's messages to the webview, in the order they were made: a message whose content is still being read
// (a view with its first rows) holds back the ones made after it, so the webview never sees them overtake it.
// Pure: messages leave only through `send`.

import type { ToWebview } from './protocol';

export class Outbox {
  private readonly queue: Array<ToWebview | Promise<ToWebview>> = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly send: (message: ToWebview) => void) {}

  /** Sends now when nothing is waiting, else after what was put before it. */
  put(message: ToWebview | Promise<ToWebview>): void {
    if (this.queue.length === 0 && !(message instanceof Promise)) { this.send(message); return; }
    this.queue.push(message);
    this.draining ??= this.drain();
  }

  /** Resolves when everything put so far has been sent. */
  idle(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      let message: ToWebview | undefined;
      try { message = await this.queue[0]; } catch { message = undefined; /* the producer dropped it */ }
      this.queue.shift();
      if (message) this.send(message);
    }
    this.draining = undefined;
  }
}

// Request/response over postMessage (the host answers each request once), plus notifications both ways.
import type { FromWebview, Method, RequestMap, ToWebview } from '../../src/traceViewer/protocol';

export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export type Notification = Exclude<ToWebview, { type: 'response' }>;

export class Rpc {
  readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly onNotification: (n: Notification) => void) {
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data as ToWebview));
  }

  post(message: FromWebview): void {
    this.api.postMessage(message);
  }

  request<M extends Method>(method: M, params: RequestMap[M]['params']): Promise<RequestMap[M]['result']> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ type: 'request', requestId, method, params } as FromWebview);
    });
  }

  private receive(message: ToWebview): void {
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
    if (message.type === 'response') {
      const p = this.pending.get(message.requestId);
      if (!p) return;
      this.pending.delete(message.requestId);
      if (message.ok) p.resolve(message.result);
      else p.reject(new Error(message.error));
      return;
    }
    this.onNotification(message);
  }
}

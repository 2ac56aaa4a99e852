// The typed host ⇄ webview protocol of the trace viewer. No runtime imports: the webview imports it type-only.

/** Every request carries an id; the reply echoes it. */
export interface RequestEnvelope<T> {
  readonly requestId: number;
  readonly body: T;
}

export type FromWebview =
  | { readonly type: 'ready' };

export type ToWebview =
  | { readonly type: 'init'; readonly fileName: string; readonly byteLength: number };

export type FromWebviewType = FromWebview['type'];

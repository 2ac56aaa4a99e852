// Webview-local state (vscode.setState survives hide/show) mirrored to the host (saveState, kept per file).
import type { FilterDto, SavedState } from '../../src/traceViewer/protocol';
import { EMPTY_FILTER } from '../../src/traceViewer/filterVocabulary';
import { debounce } from './dom';
import type { Rpc } from './rpc';

export function sameFilter(a: FilterDto, b: FilterDto): boolean {
  const norm = (f: FilterDto): string => JSON.stringify({
    levels: [...f.levels].sort(), sources: [...f.sources].sort(), processes: [...f.processes].sort(), threads: [...f.threads].sort(),
    activityId: f.activityId || '', from: f.from || '', to: f.to || '', text: f.text || '', regex: !!f.regex, showDamage: f.showDamage,
  });
  return norm(a) === norm(b);
}

function isSavedState(v: unknown): v is SavedState {
  return typeof v === 'object' && v !== null && typeof (v as SavedState).filter === 'object' && (v as SavedState).filter !== null;
}

export class StateStore {
  private state: SavedState;
  private readonly toHost = debounce(() => this.rpc.post({ type: 'saveState', state: this.state }), 400);

  constructor(private readonly rpc: Rpc) {
    const local = rpc.api.getState();
    this.state = isSavedState(local) ? local : { filter: EMPTY_FILTER };
  }

  /** State kept by this webview (hide/show), if any. */
  local(): SavedState | undefined {
    const v = this.rpc.api.getState();
    return isSavedState(v) ? v : undefined;
  }

  get(): SavedState {
    return this.state;
  }

  update(patch: Partial<SavedState>): void {
    this.state = { ...this.state, ...patch };
    this.rpc.api.setState(this.state);
    this.toHost();
  }
}

// Shared by the ViewerSession unit tests (viewerSession.test.ts, viewerSessionLive.test.ts): the engine's own
// decoding of the same files (what the session must answer), a session that records what it posts, and the fixtures.
import { TraceCollection, readWholeFile, type FileAccess } from '../../src/trace';
import { ViewerSession } from '../../src/traceViewer/viewerSession';
import type { FilterDto, ToWebview } from '../../src/traceViewer/protocol';
import { fixture, nodeAccess } from '../webview/nodeAccess';

export const ALL: FilterDto = { levels: [], sources: [], processes: [], threads: [], showDamage: true };
export const TRACELOG = fixture('faiteo__Client__web_tracelog.svclog');
export const MESSAGES = fixture('ali-bytes__psi__web_messages.svclog');

export async function engine(paths: string[], access: FileAccess = nodeAccess): Promise<TraceCollection> {
  const c = new TraceCollection();
  for (const p of paths) c.addFile(p);
  for (let i = 0; i < paths.length; i++) await readWholeFile(c, access, i);
  return c;
}

export function session(files: string[], extra: Partial<ConstructorParameters<typeof ViewerSession>[0]> = {}): { s: ViewerSession; posted: ToWebview[] } {
  const posted: ToWebview[] = [];
  const s = new ViewerSession({ files, access: nodeAccess, post: (m) => posted.push(m), ...extra });
  return { s, posted };
}

// FileAccess over node:fs for tests (positional reads through a short-lived handle), optionally slowed down.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { FileAccess } from '../../src/trace';

export const nodeAccess: FileAccess = {
  async size(path) { return (await fs.stat(path)).size; },
  async read(path, offset, length) {
    const h = await fs.open(path, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await h.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally { await h.close(); }
  },
};

/** The same access with a delay before each read (to watch rows arrive while decoding). */
export function slowAccess(delayMs: number): FileAccess {
  return {
    size: nodeAccess.size,
    async read(path, offset, length) {
      await new Promise((r) => setTimeout(r, delayMs));
      return nodeAccess.read(path, offset, length);
    },
  };
}

/** The real trace files in the repository (test/fixtures/svclog; sources in its MANIFEST.md). */
export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'svclog');
export const fixture = (name: string): string => join(FIXTURES, name);

/** One E2ETraceEvent with the given fields (values are XML-escaped here, as a writer would). */
export function traceEvent(o: {
  time: string; level?: number; subType?: string; source?: string; activity?: string; related?: string; process?: string; pid?: number;
  thread?: string; description?: string; dataItem?: string; activityName?: string; computer?: string; eventId?: number;
}): string {
  const x = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const related = o.related ? ` RelatedActivityID="${x(o.related)}"` : '';
  const record = o.description !== undefined || o.activityName !== undefined
    ? `<TraceData><DataItem><TraceRecord xmlns="http://schemas.microsoft.com/2004/10/E2ETraceEvent/TraceRecord" Severity="${x(o.subType ?? 'Information')}"><TraceIdentifier>http://example.invalid/Trace.aspx</TraceIdentifier><Description>${x(o.description ?? '')}</Description><AppDomain>app</AppDomain>${o.activityName !== undefined ? `<ExtendedData xmlns="http://schemas.microsoft.com/2006/08/ServiceModel/DictionaryTraceRecord"><ActivityName>${x(o.activityName)}</ActivityName><ActivityType>Construct</ActivityType></ExtendedData>` : ''}</TraceRecord></DataItem></TraceData>`
    : o.dataItem !== undefined ? `<TraceData><DataItem>${x(o.dataItem)}</DataItem></TraceData>` : '';
  return `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system">`
    + `<EventID>${o.eventId ?? 0}</EventID><Type>3</Type><SubType Name="${x(o.subType ?? 'Information')}">0</SubType><Level>${o.level ?? 8}</Level>`
    + `<TimeCreated SystemTime="${x(o.time)}" /><Source Name="${x(o.source ?? 'Test.Source')}" />`
    + `<Correlation ActivityID="${x(o.activity ?? '{00000000-0000-0000-0000-000000000000}')}"${related} />`
    + `<Execution ProcessName="${x(o.process ?? 'proc')}" ProcessID="${o.pid ?? 42}" ThreadID="${x(o.thread ?? '1')}" />`
    + `<Channel /><Computer>${x(o.computer ?? 'HOST')}</Computer></System><ApplicationData>${record}</ApplicationData></E2ETraceEvent>`;
}

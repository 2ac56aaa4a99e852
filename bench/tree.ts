// Tree refresh at scale: 200 servers × their steps. Measures the pure work behind the tree (state per row,
// presentation with tooltip Markdown, server summaries) for a full repaint, and the work of one result update
// (store write with persistence, then that server's rows again). The vscode.TreeItem wrappers are plain field
// copies of these objects and are not included (no VS Code in a Node benchmark).
import { performance } from 'node:perf_hooks';
import { stepsFor } from '../src/checks';
import { parseServer, type ServerConfig } from '../src/servers/server';
import { ResultStore, type KeyValueStore, type StoredResult } from '../src/state/resultStore';
import { presentStep } from '../src/tree/presentation';
import { stepState, summarizeServer } from '../src/state/rowState';

class MemoryStore implements KeyValueStore {
  private readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.data.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> { this.data.set(key, JSON.parse(JSON.stringify(value)) as unknown); }
}

const t = (m: string, ...a: (string | number)[]): string => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

function repaint(servers: readonly ServerConfig[], store: ResultStore, now: Date): number {
  let rows = 0;
  for (const server of servers) {
    const steps = stepsFor(server.profile);
    summarizeServer(steps.map((s) => stepState(store.get(server.fqdn, s.id), store.isRunning(server.fqdn, s.id))));
    for (const step of steps) {
      presentStep({ stepId: step.id, title: step.title.en, result: store.get(server.fqdn, step.id), running: false, hasRemediation: true, manualAllowed: step.where === 'network', riskNote: step.remediation.riskNote.en, docLink: step.docLink, now, staleAfterMinutes: 1440 }, t);
      rows++;
    }
  }
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function run(log: (s: string) => void): Promise<void> {
  const now = new Date();
  const servers = Array.from({ length: 200 }, (_, i) => parseServer({ fqdn: `exch${String(i).padStart(3, '0')}.contoso.com`, serviceAccount: 'CONTOSO\\svc_sync', profile: i % 10 === 9 ? 'intune' : 'remoting' }));
  const store = new ResultStore(new MemoryStore(), 'results', 'results.bad');
  const statuses: StoredResult['status'][] = ['pass', 'warn', 'fail', 'error', 'notApplicable'];
  let k = 0;
  for (const server of servers) {
    for (const step of stepsFor(server.profile)) {
      await store.set(server.fqdn, { stepId: step.id, status: statuses[k++ % 5] as StoredResult['status'], summary: 'Allowed via BUILTIN\\Remote Management Users', evidence: [{ label: 'Group', value: 'Remote Management Users' }, { label: 'SID', value: 'S-1-5-32-580' }], reason: 'The account is a member.', checkedAt: now.toISOString() });
    }
  }
  const full: number[] = [];
  let rows = 0;
  for (let i = 0; i < 15; i++) {
    const a = performance.now();
    rows = repaint(servers, store, now);
    full.push(performance.now() - a);
  }
  const update: number[] = [];
  for (let i = 0; i < 15; i++) {
    const server = servers[i * 7] as ServerConfig;
    const a = performance.now();
    await store.set(server.fqdn, { stepId: 'ps-remoting', status: 'pass', summary: 'WinRM running, automatic', evidence: [], reason: 'ok', checkedAt: new Date().toISOString() });
    repaint([server], store, now);
    update.push(performance.now() - a);
  }
  log('### Sidebar tree at scale');
  log('');
  log('| measure | median of 15 |');
  log('| --- | ---: |');
  log(`| build all rows (${servers.length} servers, ${rows} step rows, tooltips included) | ${median(full).toFixed(1)} ms |`);
  log(`| per row | ${(median(full) / rows * 1000).toFixed(1)} µs |`);
  log(`| apply one result update (persist ${rows} results + repaint that server) | ${median(update).toFixed(2)} ms |`);
}

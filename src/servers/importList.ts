// Parses a pasted or loaded server list: one FQDN per line, or CSV with a header row naming at least `fqdn`
// (optional: profile, connection, port, serviceAccount, notes). Pure; bad lines are reported, not dropped silently.
import { parseServer, type ServerConfig } from './server';
import { InputError, printable } from './validation';

export interface ImportProblem {
  readonly line: number;
  readonly message: string;
}

export interface ImportResult {
  readonly servers: ServerConfig[];
  readonly problems: ImportProblem[];
}

const COLUMNS = ['fqdn', 'profile', 'connection', 'port', 'serviceaccount', 'notes'] as const;

export function parseImport(text: string, existing: readonly string[] = []): ImportResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const servers: ServerConfig[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Set(existing.map((e) => e.toLowerCase()));
  let header: string[] | undefined;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const cells = splitCsv(line);
    if (!header && servers.length === 0 && cells.some((c) => c.toLowerCase() === 'fqdn')) {
      header = cells.map((c) => c.trim().toLowerCase());
      const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
      if (unknown.length) problems.push({ line: i + 1, message: `Unknown column(s) ignored: ${unknown.map((u) => printable(u)).join(', ')}.` });
      return;
    }
    try {
      const entry: Record<string, unknown> = {};
      if (header) {
        header.forEach((h, c) => {
          const v = cells[c]?.trim();
          if (!v) return;
          const key = h === 'serviceaccount' ? 'serviceAccount' : h;
          if ((COLUMNS as readonly string[]).includes(h)) entry[key] = v;
        });
      } else {
        if (cells.length > 1) throw new InputError('fqdn', 'Several values on a line without a header row; add a header such as "fqdn,profile,serviceAccount".');
        entry.fqdn = cells[0];
      }
      const server = parseServer(entry);
      if (seen.has(server.fqdn)) {
        problems.push({ line: i + 1, message: `${server.fqdn} is already in the list.` });
        return;
      }
      seen.add(server.fqdn);
      servers.push(server);
    } catch (err) {
      problems.push({ line: i + 1, message: err instanceof Error ? err.message : String(err) });
    }
  });
  return { servers, problems };
}

/** Splits one CSV line (RFC 4180 quoting; comma or semicolon, as Excel writes in German locales). */
export function splitCsv(line: string): string[] {
  const sep = !line.includes(',') && line.includes(';') ? ';' : ',';
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"' && cur.trim() === '') { quoted = true; cur = ''; } else if (ch === sep) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkWellFormed, decodeBuffer, parseEventDetails, type TraceDecoder } from '../../src/trace/index';

function fixture(name: string): Buffer {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const p = join(dir, 'test/fixtures/svclog', name);
    if (existsSync(p)) return readFileSync(p);
    dir = dirname(dir);
  }
  throw new Error(`fixture ${name} not found`);
}

const small = fixture('laoluolapegba__finservice__Web_messages.svclog'); // 2 events
const logjoint = fixture('sergey-su__logjoint__XmlWriterTraceListener1.xml'); // 136 events, plain text, &apos;
const bomFile = fixture('ALM-Rangers__Sample-Code__OutParameter.svclog'); // UTF-8 BOM, indented

function rows(d: TraceDecoder): Array<Record<string, unknown>> {
  const out = [];
  for (let i = 0; i < d.store.count; i++) {
    const { index: _i, offset: _o, length: _l, row: _r, ...rest } = d.store.row(i);
    out.push(rest);
  }
  return out;
}

function event(message: string, opts: { subType?: string; time?: string; activity?: string } = {}): string {
  return `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>7</EventID><Type>3</Type><SubType Name="${opts.subType ?? 'Information'}">0</SubType><Level>8</Level><TimeCreated SystemTime="${opts.time ?? '2024-01-02T03:04:05.1234567Z'}" /><Source Name="Test" /><Correlation ActivityID="${opts.activity ?? '{00000000-0000-0000-0000-000000000000}'}" /><Execution ProcessName="proc" ProcessID="42" ThreadID="1" /><Channel/><Computer>PC</Computer></System><ApplicationData>${message}</ApplicationData></E2ETraceEvent>`;
}

describe('trace decoder: damage is data', () => {
  it('truncated at every byte of the last event: first event intact, the rest one damaged range', () => {
    const full = decodeBuffer(small);
    assert.equal(full.store.count, 2);
    const lastStart = full.store.offset[1];
    const firstRow = rows(full)[0];
    for (let cut = lastStart; cut <= small.length; cut++) {
      const bytes = small.subarray(0, cut);
      for (const chunkSize of [1 << 20, 97]) {
        const d = decodeBuffer(bytes, { chunkSize });
        if (cut === small.length) {
          assert.equal(d.store.count, 2);
          assert.deepEqual(d.damage, []);
          continue;
        }
        assert.equal(d.store.count, 1, `cut ${cut}`);
        assert.deepEqual(rows(d)[0], firstRow);
        if (cut === lastStart) { assert.deepEqual(d.damage, []); continue; }
        assert.equal(d.damage.length, 1, `cut ${cut}: ${JSON.stringify(d.damage)}`);
        const [r] = d.damage;
        assert.equal(r.start, lastStart);
        assert.equal(r.end, cut);
        assert.equal(r.reason, cut - lastStart >= '<E2ETraceEvent'.length ? 'truncated' : 'garbage');
      }
    }
  });

  it('a truncated event followed by a complete one: both ranges right, later events kept', () => {
    const a = Buffer.from(event('one'));
    const b = Buffer.from(event('two'));
    const c = Buffer.from(event('three'));
    const bytes = Buffer.concat([a, b.subarray(0, 300), c]);
    const d = decodeBuffer(bytes, { chunkSize: 64 });
    assert.deepEqual(rows(d).map((r) => r.message), ['one', 'three']);
    assert.deepEqual(d.damage, [{ start: a.length, end: a.length + 300, reason: 'truncated', file: 0 }]);
    assert.equal(d.store.offset[1], a.length + 300);
  });

  it('UTF-16 LE and BE files with a BOM decode to the same rows, with byte offsets into the UTF-16 file', () => {
    const text = logjoint.toString('utf8') + event('Arabic: مرحبا &amp; done');
    const utf8 = decodeBuffer(Buffer.from(text, 'utf8'));
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    for (const [bytes, enc] of [[le, 'utf-16le'], [be, 'utf-16be']] as const) {
      for (const chunkSize of [1 << 20, 4097, 333]) {
        const d = decodeBuffer(bytes, { chunkSize });
        assert.equal(d.encoding, enc);
        assert.deepEqual(d.damage, []);
        assert.deepEqual(rows(d), rows(utf8));
        const last = d.store.count - 1;
        assert.equal(d.store.row(last).message, 'Arabic: مرحبا & done');
        const det = parseEventDetails(bytes.subarray(d.store.offset[last], d.store.offset[last] + d.store.length[last]), enc);
        assert.equal(det.text, 'Arabic: مرحبا & done');
        assert.equal(det.errors.length, 0);
      }
    }
  });

  it('a BOM (and whitespace) in the middle of a concatenated file is not damage', () => {
    const bytes = Buffer.concat([bomFile, Buffer.from('\r\n'), bomFile, Buffer.from([0xef, 0xbb, 0xbf]), small]);
    const d = decodeBuffer(bytes, { chunkSize: 500 });
    assert.equal(d.store.count, 4);
    assert.deepEqual(d.damage, []);
    assert.equal(d.encoding, 'utf-8');
  });

  it('garbage between events is a damaged range; the events around it are kept', () => {
    const a = event('before');
    const junk = 'this is not xml \u0001 at all';
    const bytes = Buffer.from(a + '\n' + junk + '\n' + event('after'));
    const d = decodeBuffer(bytes, { chunkSize: 50 });
    assert.deepEqual(rows(d).map((r) => r.message), ['before', 'after']);
    const start = Buffer.byteLength(a) + 1;
    assert.deepEqual(d.damage, [{ start, end: start + Buffer.byteLength(junk), reason: 'garbage', file: 0 }]);
  });

  it('invalid XML characters: the event is kept, marked, and shown with U+FFFD', () => {
    const bytes = Buffer.from(event('bell\u0007 and ref &#x1B; end') + event('fine'));
    const d = decodeBuffer(bytes);
    assert.equal(d.store.count, 2);
    const r = d.store.row(0);
    assert.equal(r.message, 'bell\uFFFD and ref \uFFFD end');
    assert.equal(r.damaged, true);
    assert.deepEqual(d.damage.map((x) => x.reason), ['invalid-char']);
    assert.equal(d.damage[0].end, d.store.length[0]);
    assert.equal(d.store.row(1).damaged, false);
    const det = parseEventDetails(bytes.subarray(0, d.store.length[0]));
    assert.ok(det.errors.some((e) => e.kind === 'invalid-char'));
  });

  it('a non-well-formed event: markup damage in System is found on the fast path, elsewhere with validate', () => {
    const broken = event('x').replace('ProcessName="proc"', 'ProcessName=proc');
    const badBody = event('<a><b></a>');
    const bytes = Buffer.from(broken + badBody + event('ok'));
    const fast = decodeBuffer(bytes);
    assert.equal(fast.store.count, 3);
    assert.deepEqual(fast.damage.map((x) => x.reason), ['malformed']);
    assert.equal(fast.damage[0].start, 0);
    const strict = decodeBuffer(bytes, { validate: checkWellFormed });
    assert.deepEqual(strict.damage.map((x) => [x.reason, x.start]), [['malformed', 0], ['malformed', Buffer.byteLength(broken)]]);
    assert.deepEqual([0, 1, 2].map((i) => strict.store.row(i).damaged), [true, true, false]);
    assert.equal(strict.store.row(2).message, 'ok');
  });

  it('billion laughs: no DOCTYPE is read and no entity expands', () => {
    const lol = ['<!DOCTYPE lolz [', '<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    lol.push(']>');
    const doctype = lol.join('\n');
    const ev = event('&lol9;');
    const bytes = Buffer.from(doctype + '\n' + ev);
    const d = decodeBuffer(bytes);
    assert.equal(d.store.count, 1);
    assert.equal(d.store.row(0).message, '&lol9;');
    // The DOCTYPE is an ignored declaration (issue 15: not "bytes between events"); nothing in it is applied.
    assert.deepEqual(d.damage.map((x) => [x.reason, x.start, x.end]), [['declaration', 0, doctype.length]]);
    // The same DOCTYPE inside the event: the details parser reports it and leaves the reference as text.
    const inside = ev.replace('<System', `${doctype}<System`);
    const det = parseEventDetails(Buffer.from(inside));
    assert.ok(det.errors.some((e) => e.kind === 'doctype'));
    assert.ok(det.errors.some((e) => e.kind === 'entity'));
    assert.equal(det.text, '&lol9;');
    assert.ok(det.prettyXml.length < 10_000);
    const fast = decodeBuffer(Buffer.from(inside));
    assert.deepEqual(fast.damage.map((x) => x.reason), ['malformed']);
  });

  it('external entities are never resolved (no file is read)', () => {
    const xxe = `<!DOCTYPE e [<!ENTITY xxe SYSTEM "file://${__filename}">]>`;
    const ev = event('&xxe;').replace('<System', `${xxe}<System`);
    const d = decodeBuffer(Buffer.from(ev));
    assert.equal(d.store.row(0).message, '&xxe;');
    const det = parseEventDetails(Buffer.from(ev));
    assert.equal(det.text, '&xxe;');
    assert.ok(!det.rawXml.includes('describe('), 'file content must not appear');
    assert.ok(!det.prettyXml.includes('describe('));
  });

  it('a 50 MB single event decodes in chunks with a capped one-line message', () => {
    const body = 'A'.repeat(50 * 1024 * 1024);
    const bytes = Buffer.from(event(body) + event('next'));
    const d = decodeBuffer(bytes, { chunkSize: 1 << 20 });
    assert.deepEqual(d.damage, []);
    assert.equal(d.store.count, 2);
    assert.equal(d.store.length[0], Buffer.byteLength(event(body)));
    assert.equal(d.store.row(0).message.length, 300);
    assert.equal(d.store.row(1).message, 'next');
  });

  it('an empty file has no events and no damage', () => {
    const d = decodeBuffer(Buffer.alloc(0));
    assert.equal(d.store.count, 0);
    assert.deepEqual(d.damage, []);
  });

  it('a PNG renamed .svclog is one not-a-trace range', () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff)),
    ]);
    const d = decodeBuffer(png, { chunkSize: 1000 });
    assert.equal(d.store.count, 0);
    assert.deepEqual(d.damage, [{ start: 0, end: png.length, reason: 'not-a-trace', file: 0 }]);
  });

  it('namespace prefixes, CRLF and indentation decode like the stock form', () => {
    const stock = event('hello &amp; &lt;world&gt;', { subType: 'Start' });
    const prefixed = stock
      .replace('<E2ETraceEvent xmlns=', '<e2e:E2ETraceEvent xmlns:e2e=')
      .replace('</E2ETraceEvent>', '</e2e:E2ETraceEvent>')
      .replace(/<(\/?)(System|EventID|Type|SubType|Level|TimeCreated|Source|Correlation|Execution|Channel|Computer)\b/g, '<$1s:$2')
      .replace('<s:System xmlns=', '<s:System xmlns:s=')
      .replace(/<(\/?)ApplicationData/g, '<$1e2e:ApplicationData');
    const pretty = stock.replace(/></g, '>\r\n    <');
    const base = rows(decodeBuffer(Buffer.from(stock)))[0];
    assert.equal(base.message, 'hello & <world>');
    for (const variant of [prefixed, pretty, `${pretty}\r\n${pretty}\r\n`]) {
      const d = decodeBuffer(Buffer.from(variant), { chunkSize: 37 });
      assert.deepEqual(d.damage, []);
      assert.deepEqual(rows(d)[0], base, variant.slice(0, 80));
    }
  });

  it('random corruption never throws; events and damaged ranges stay in bounds and never overlap', () => {
    let seed = 12345;
    const rnd = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
    const base = Buffer.concat([small, Buffer.from(logjoint.subarray(0, 6000)), small]);
    for (let iter = 0; iter < 300; iter++) {
      const bytes = Buffer.from(base);
      const edits = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(rnd() * bytes.length);
        const kind = rnd();
        if (kind < 0.4) bytes[at] = Math.floor(rnd() * 256);
        else if (kind < 0.7) bytes[at] = '<>&"/'.charCodeAt(Math.floor(rnd() * 5));
        else bytes.fill(0, at, Math.min(bytes.length, at + Math.floor(rnd() * 64)));
      }
      const cut = rnd() < 0.3 ? Math.floor(rnd() * bytes.length) : bytes.length;
      const input = bytes.subarray(0, cut);
      const d = decodeBuffer(input, { chunkSize: 1 + Math.floor(rnd() * 3000) });
      const spans: Array<[number, number]> = [];
      for (let i = 0; i < d.store.count; i++) spans.push([d.store.offset[i], d.store.offset[i] + d.store.length[i]]);
      for (const r of d.damage) {
        assert.ok(r.start >= 0 && r.end <= input.length && r.start < r.end, JSON.stringify(r));
        if (r.reason !== 'malformed' && r.reason !== 'invalid-char') spans.push([r.start, r.end]);
      }
      spans.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] >= spans[i - 1][1], `iteration ${iter}: overlap ${JSON.stringify(spans[i - 1])} ${JSON.stringify(spans[i])}`);
      for (let i = 0; i < d.store.count; i++) {
        d.store.row(i);
        parseEventDetails(input.subarray(d.store.offset[i], d.store.offset[i] + d.store.length[i]));
      }
    }
  });

  it('CDATA is decoded where shown (messages), entities inside CDATA stay literal', () => {
    const d = decodeBuffer(Buffer.from(event('<![CDATA[a &amp; <b>]]> tail &amp;')));
    assert.equal(d.store.row(0).message, 'a &amp; <b> tail &');
  });

  it('time zones and fraction digits: instants honour offsets, text is kept as written', () => {
    const times = ['2016-02-15T22:59:51.7620905+02:00', '2016-02-15T20:59:51.7620905Z', '2007-03-01T10:00:00.111Z', '2007-03-01T10:00:00', 'not a time'];
    const d = decodeBuffer(Buffer.from(times.map((t) => event('m', { time: t })).join('')));
    assert.deepEqual(times.map((_, i) => d.store.row(i).time), times);
    assert.equal(d.store.row(0).instantMs, d.store.row(1).instantMs);
    assert.equal(d.store.row(0).instantTicks, d.store.row(1).instantTicks);
    assert.equal(d.store.row(1).instantTicks, 905);
    assert.ok(Number.isNaN(d.store.row(4).instantMs));
  });
});

describe('declarations between events', () => {
  it('labels a DOCTYPE (with an internal subset), an XML declaration and a comment as ignored declarations, not stray bytes', async () => {
    const ev = '<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>1</EventID><Type>3</Type><SubType Name="Information">0</SubType><Level>8</Level><TimeCreated SystemTime="2024-01-01T10:00:00.0000000Z" /><Source Name="S" /><Correlation ActivityID="{00000000-0000-0000-0000-000000000000}" /><Execution ProcessName="p" ProcessID="1" ThreadID="1" /><Channel/><Computer>C</Computer></System><ApplicationData>x</ApplicationData></E2ETraceEvent>';
    const doctype = '<!DOCTYPE x [<!ENTITY a "b>c">]>';
    const text = `<?xml version="1.0"?>\n${doctype}\n${ev}<!-- note -->${ev}junk${ev}`;
    const d = decodeBuffer(Buffer.from(text));
    assert.equal(d.store.count, 3);
    assert.deepEqual(d.damage.map((r) => [r.reason, text.slice(r.start, r.end)]), [
      ['declaration', '<?xml version="1.0"?>'], ['declaration', doctype], ['declaration', '<!-- note -->'], ['garbage', 'junk'],
    ]);
  });

  it('still says not-a-trace for an HTML page that starts with a DOCTYPE', async () => {
    const d = decodeBuffer(Buffer.from('<!DOCTYPE html><html><body>hi</body></html>'));
    assert.deepEqual(d.damage.map((r) => r.reason), ['not-a-trace']);
  });
});

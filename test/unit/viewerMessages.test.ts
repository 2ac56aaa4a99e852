import * as assert from 'node:assert/strict';
import { typeName } from '../../src/traceViewer/labels';
import { ViewerSession } from '../../src/traceViewer/viewerSession';
import type { MessageDto } from '../../src/traceViewer/protocol';
import { fixture, nodeAccess } from '../webview/nodeAccess';

async function messages(name: string): Promise<{ s: ViewerSession; list: readonly MessageDto[]; total: number }> {
  const s = new ViewerSession({ files: [fixture(name)], access: nodeAccess, post: () => undefined });
  await s.start();
  const first = await s.request('getMessages', { start: 0, count: 1000 });
  return { s, list: first.messages, total: first.total };
}

describe('message view (logged messages, requests paired with replies)', () => {
  it('pairs by WS-Addressing MessageID/RelatesTo at the same logging layer (SOAP 1.2 sample)', async () => {
    const { list, total } = await messages('srijhbdfbdb__sample1__Traces.svclog');
    assert.equal(total, 18, 'every event of this message log is a message');
    const [tr, slr, sls, ts] = list;
    assert.deepEqual([tr.source, slr.source, sls.source, ts.source], ['TransportReceive', 'ServiceLevelReceiveRequest', 'ServiceLevelSendReply', 'TransportSend']);
    assert.equal(sls.relatesTo, slr.messageId);
    assert.equal(sls.partner, slr.id, 'service-level reply ↔ service-level request');
    assert.equal(slr.partner, sls.id);
    assert.equal(ts.partner, tr.id, 'transport send ↔ transport receive');
    assert.deepEqual([slr.role, sls.role], ['request', 'reply']);
    assert.ok(sls.deltaMs !== undefined && sls.deltaMs >= 0);
    assert.equal(slr.action, 'http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue');
    assert.equal(slr.to, 'http://localhost:8733/SPServiceLibrary');
    for (const m of list) if (m.partner >= 0) assert.equal(list[m.partner].partner, m.id, 'pairs are symmetric');
  });

  it('pairs an HTTP request with its response in the same activity when there are no addressing ids', async () => {
    const { list } = await messages('faiteo__Client__web_messages.svclog');
    const [send, recv] = list;
    assert.deepEqual([send.source, send.direction, recv.source, recv.direction], ['TransportSend', 'send', 'TransportReceive', 'receive']);
    assert.equal(send.partner, recv.id);
    assert.equal(send.role, 'request');
    assert.equal(recv.role, 'reply');
    assert.equal(recv.status, 'OK');
    assert.equal(send.action, 'http://tempuri.org/IProductService/GetProduct');
    const paired = list.filter((m) => m.partner >= 0).length;
    assert.ok(paired / list.length > 0.9, `${paired} of ${list.length} paired`);
  });

  it('keeps interleaved requests of different activities apart (ali-bytes: three GETs, then three responses)', async () => {
    const { list, s } = await messages('ali-bytes__psi__web_messages.svclog');
    const gets = list.slice(2, 5), responses = list.slice(5, 8);
    for (const g of gets) {
      const r = list[g.partner];
      assert.ok(responses.includes(r), 'paired with one of the three responses');
      assert.equal(r.activityId, g.activityId);
    }
    // A message selects its event in the table.
    const { index } = await s.request('locateEvent', { file: gets[0].file, row: gets[0].row });
    const row = (await s.request('getRows', { start: index, count: 1, version: 0 })).rows[0];
    assert.equal(row.time, gets[0].time);
    assert.equal(row.activityId, gets[0].activityId);
  });
});

describe('exception type names', () => {
  it('drops the assembly of an assembly-qualified type and keeps generic arguments', () => {
    assert.equal(typeName('System.ServiceModel.EndpointNotFoundException, System.ServiceModel, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089'), 'System.ServiceModel.EndpointNotFoundException');
    assert.equal(typeName('System.ServiceModel.FaultException`1[[System.ServiceModel.ExceptionDetail, System.ServiceModel, Version=4.0.0.0]], System.ServiceModel'), 'System.ServiceModel.FaultException`1[[System.ServiceModel.ExceptionDetail, System.ServiceModel, Version=4.0.0.0]]');
    assert.equal(typeName('System.Exception'), 'System.Exception');
  });
});

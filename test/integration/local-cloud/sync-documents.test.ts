import { describe, expect, it } from 'vitest';
import { useCloud } from './support/cloud';

const { api, cloud } = useCloud();
const docs = () => `/sync/v1/Services/${cloud().credentials.syncServiceSid}/Documents`;

describe('Sync v1 Services/{IS}/Documents', () => {
  it('creates a document with data and fetches it by sid and by unique name', async () => {
    const data = { roomSid: 'RM1', playerStreamerSid: 'VJ1', nested: { n: 1 } };
    const created = await api().post(docs(), { UniqueName: 'streaming_info', Data: JSON.stringify(data) });
    expect(created.status).toBe(201);
    expect(created.body.sid).toMatch(/^ET[0-9a-f]{32}$/);
    expect(created.body).toMatchObject({
      unique_name: 'streaming_info',
      data,
      revision: '0',
      service_sid: cloud().credentials.syncServiceSid,
      account_sid: cloud().credentials.accountSid,
      date_expires: null,
      created_by: 'system',
      url: `${cloud().origin}${docs()}/${created.body.sid}`,
    });
    expect((await api().get(`${docs()}/${created.body.sid}`)).body.data).toEqual(data);
    expect((await api().get(`${docs()}/streaming_info`)).body.sid).toBe(created.body.sid);
  });

  it('defaults Data to an empty object and allows no unique name', async () => {
    const { status, body } = await api().post(docs());
    expect(status).toBe(201);
    expect(body).toMatchObject({ data: {}, unique_name: null });
  });

  it('answers 54301 (409) for a duplicate unique name', async () => {
    await api().post(docs(), { UniqueName: 'dup' });
    const again = await api().post(docs(), { UniqueName: 'dup' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 54301, status: 409 });
  });

  it('limits Data to 16 KiB (54006, 413) and requires a JSON object (54008)', async () => {
    const fits = JSON.stringify({ s: 'x'.repeat(16 * 1024 - 8) });
    expect(Buffer.byteLength(fits)).toBe(16 * 1024);
    expect((await api().post(docs(), { Data: fits })).status).toBe(201);
    const tooBig = await api().post(docs(), { Data: JSON.stringify({ s: 'x'.repeat(16 * 1024) }) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe(54006);
    for (const Data of ['{not json', '[1,2]', '42']) {
      const bad = await api().post(docs(), { Data });
      expect(bad.status, Data).toBe(400);
      expect(bad.body.code).toBe(54008);
    }
  });

  it('answers 20404 for a missing document and for any other Sync service', async () => {
    const missing = await api().get(`${docs()}/no-such-doc`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(20404);
    const otherService = `/sync/v1/Services/IS${'0'.repeat(32)}/Documents`;
    expect((await api().get(otherService)).body.code).toBe(20404);
    expect((await api().post(otherService, { UniqueName: 'x' })).status).toBe(404);
  });

  it('updates data, bumping the revision; If-Match must carry the current revision (54103, 412)', async () => {
    const { body: doc } = await api().post(docs(), { UniqueName: 'rev', Data: '{"v":1}' });
    cloud().clock.advance(1000);
    const updated = await api().post(`${docs()}/rev`, { Data: '{"v":2}' }, { headers: { 'If-Match': '0' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ sid: doc.sid, revision: '1', data: { v: 2 }, date_created: doc.date_created });
    expect(updated.body.date_updated).not.toBe(doc.date_updated);

    const stale = await api().post(`${docs()}/${doc.sid}`, { Data: '{"v":3}' }, { headers: { 'If-Match': '0' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe(54103);
    expect((await api().get(`${docs()}/rev`)).body.data).toEqual({ v: 2 });

    const unconditional = await api().post(`${docs()}/rev`, { Data: '{"v":4}' });
    expect(unconditional.body).toMatchObject({ revision: '2', data: { v: 4 } });
  });

  it('deletes by unique name or sid (204), after which it is gone', async () => {
    const { body: a } = await api().post(docs(), { UniqueName: 'del-a' });
    const { body: b } = await api().post(docs(), { UniqueName: 'del-b' });
    const byName = await api().delete(`${docs()}/del-a`);
    expect(byName.status).toBe(204);
    expect(byName.body).toBeNull();
    expect((await api().delete(`${docs()}/${b.sid}`)).status).toBe(204);
    expect((await api().get(`${docs()}/${a.sid}`)).status).toBe(404);
    expect((await api().get(`${docs()}/del-b`)).status).toBe(404);
    expect((await api().delete(`${docs()}/del-b`)).body.code).toBe(20404);
    // The unique name is free again.
    expect((await api().post(docs(), { UniqueName: 'del-a' })).status).toBe(201);
  });

  it('expires a document with a Ttl by the clock; Ttl=0 on update removes the expiry', async () => {
    const { body: doc } = await api().post(docs(), { UniqueName: 'ttl', Ttl: 60 });
    expect(doc.date_expires).toBe(new Date(cloud().clock.now() + 60_000).toISOString().replace('.000Z', 'Z'));
    const { body: kept } = await api().post(docs(), { UniqueName: 'ttl-kept', Ttl: 60 });
    expect((await api().post(`${docs()}/ttl-kept`, { Ttl: 0 })).body.date_expires).toBeNull();

    cloud().clock.advance(59_000);
    expect((await api().get(`${docs()}/ttl`)).status).toBe(200);
    cloud().clock.advance(1_000);
    expect((await api().get(`${docs()}/ttl`)).status).toBe(404);
    expect((await api().get(`${docs()}/${doc.sid}`)).status).toBe(404);
    expect((await api().get(`${docs()}/${kept.sid}`)).status).toBe(200);
    // An expired name can be created again.
    expect((await api().post(docs(), { UniqueName: 'ttl' })).status).toBe(201);
    expect((await api().post(docs(), { Ttl: -1 })).status).toBe(400);
    expect((await api().post(docs(), { Ttl: 31_536_001 })).status).toBe(400);
  });

  it('lists documents in creation order with paging (PageSize at most 100)', async () => {
    const all = (await api().get(docs(), { PageSize: 100 })).body;
    expect(all.meta.key).toBe('documents');
    const sids = all.documents.map((d: any) => d.sid);
    expect(sids.length).toBeGreaterThanOrEqual(5);

    const firstPage = await api().get(docs(), { PageSize: 3 });
    expect(firstPage.body.documents.map((d: any) => d.sid)).toEqual(sids.slice(0, 3));
    const next = await api().follow(firstPage.body.meta.next_page_url);
    expect(next.body.documents.map((d: any) => d.sid)).toEqual(sids.slice(3, 6));
    expect(next.body.meta.page).toBe(1);
    expect((await api().get(docs(), { PageSize: 101 })).status).toBe(400);
  });
});

import { describe, expect, it } from 'vitest';
import { type Params, useCloud } from './support/cloud';

const { api, cloud } = useCloud();
const ROOMS = '/video/v1/Rooms';

describe('Video v1 Rooms', () => {
  it('creates a group room with Twilio defaults, the unique name defaulting to the sid', async () => {
    const { status, body } = await api().post(ROOMS);
    expect(status).toBe(201);
    expect(body.sid).toMatch(/^RM[0-9a-f]{32}$/);
    expect(body).toMatchObject({
      status: 'in-progress',
      type: 'group',
      unique_name: body.sid,
      account_sid: cloud().credentials.accountSid,
      date_created: '2026-01-01T00:00:00Z',
      end_time: null,
      duration: null,
      status_callback_method: 'POST',
      url: `${cloud().origin}/video/v1/Rooms/${body.sid}`,
    });
    expect(body.links.participants).toBe(`${cloud().origin}/video/v1/Rooms/${body.sid}/Participants`);
  });

  it('takes the create parameters the twilio client sends (booleans as strings, repeated VideoCodecs)', async () => {
    const { status, body } = await api().post(ROOMS, {
      UniqueName: 'params-room',
      Type: 'peer-to-peer',
      EnableTurn: false,
      VideoCodecs: ['H264'],
      MaxParticipants: 4,
      StatusCallback: 'http://127.0.0.1:9/cb',
      StatusCallbackMethod: 'GET',
      RecordParticipantsOnConnect: true,
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      unique_name: 'params-room',
      type: 'peer-to-peer',
      enable_turn: false,
      video_codecs: ['H264'],
      max_participants: 4,
      status_callback: 'http://127.0.0.1:9/cb',
      status_callback_method: 'GET',
      record_participants_on_connect: true,
    });
  });

  it('rejects invalid parameter values with 400', async () => {
    const invalid: Params[] = [{ Type: 'stadium' }, { EnableTurn: 'maybe' }, { VideoCodecs: ['AV1'] }, { MaxParticipants: 'lots' }, { StatusCallback: 'not a url' }];
    for (const params of invalid) {
      const { status, body } = await api().post(ROOMS, params);
      expect(status, JSON.stringify(params)).toBe(400);
      expect(body.code).toBe(20001);
    }
  });

  it('keeps unique names unique among in-progress rooms (53113), and frees the name once completed', async () => {
    const first = await api().post(ROOMS, { UniqueName: 'studio' });
    expect(first.status).toBe(201);
    const clash = await api().post(ROOMS, { UniqueName: 'studio' });
    expect(clash.status).toBe(400);
    expect(clash.body).toMatchObject({ code: 53113, status: 400, more_info: 'https://www.twilio.com/docs/errors/53113' });

    expect((await api().post(`${ROOMS}/studio`, { Status: 'completed' })).status).toBe(202);
    const again = await api().post(ROOMS, { UniqueName: 'studio' });
    expect(again.status).toBe(201);
    expect(again.body.sid).not.toBe(first.body.sid);
  });

  it('fetches by sid or by unique name; a completed room only by sid', async () => {
    const { body: room } = await api().post(ROOMS, { UniqueName: 'fetch-me' });
    expect((await api().get(`${ROOMS}/${room.sid}`)).body.sid).toBe(room.sid);
    expect((await api().get(`${ROOMS}/fetch-me`)).body.sid).toBe(room.sid);

    cloud().clock.advance(90_000);
    const done = await api().post(`${ROOMS}/${room.sid}`, { Status: 'completed' });
    expect(done.status).toBe(202);
    expect(done.body).toMatchObject({ status: 'completed', duration: 90, end_time: '2026-01-01T00:01:30Z', date_updated: '2026-01-01T00:01:30Z' });

    expect((await api().get(`${ROOMS}/${room.sid}`)).body.status).toBe('completed');
    const byName = await api().get(`${ROOMS}/fetch-me`);
    expect(byName.status).toBe(404);
    expect(byName.body.code).toBe(20404);
    expect((await api().get(`${ROOMS}/RM${'0'.repeat(32)}`)).status).toBe(404);
  });

  it('completing a completed room answers 53118; only Status=completed is accepted', async () => {
    const { body: room } = await api().post(ROOMS);
    expect((await api().post(`${ROOMS}/${room.sid}`, { Status: 'in-progress' })).body.code).toBe(20001);
    expect((await api().post(`${ROOMS}/${room.sid}`, {})).status).toBe(400);
    await api().post(`${ROOMS}/${room.sid}`, { Status: 'completed' });
    const again = await api().post(`${ROOMS}/${room.sid}`, { Status: 'completed' });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe(53118);
  });

  it('lists with Status and UniqueName filters, newest first', async () => {
    const { body: live } = await api().post(ROOMS, { UniqueName: 'filter-me' });
    await api().post(`${ROOMS}/filter-me`, { Status: 'completed' });
    const { body: live2 } = await api().post(ROOMS, { UniqueName: 'filter-me' });

    const all = await api().get(ROOMS, { UniqueName: 'filter-me' });
    expect(all.body.rooms.map((r: any) => r.sid)).toEqual([live2.sid, live.sid]);
    const inProgress = await api().get(ROOMS, { UniqueName: 'filter-me', Status: 'in-progress' });
    expect(inProgress.body.rooms.map((r: any) => r.sid)).toEqual([live2.sid]);
    const completed = await api().get(ROOMS, { Status: 'completed' });
    expect(completed.body.rooms.length).toBeGreaterThan(0);
    expect(completed.body.rooms.every((r: any) => r.status === 'completed')).toBe(true);
    expect((await api().get(ROOMS, { Status: 'paused' })).status).toBe(400);
  });

  it('pages with PageSize, Page and PageToken, and meta URLs that can be followed', async () => {
    for (let i = 0; i < 5; i += 1) await api().post(ROOMS, { UniqueName: `page-${i}` });
    const total = (await api().get(ROOMS, { PageSize: 1000 })).body.rooms.length;
    expect(total).toBeGreaterThanOrEqual(5);

    const seen: string[] = [];
    let page = await api().get(ROOMS, { PageSize: 2, Status: 'in-progress' });
    expect(page.body.meta).toMatchObject({ page: 0, page_size: 2, key: 'rooms', previous_page_url: null });
    expect(page.body.meta.first_page_url).toBe(`${cloud().origin}/video/v1/Rooms?Status=in-progress&PageSize=2&Page=0`);
    for (;;) {
      seen.push(...page.body.rooms.map((r: any) => r.sid));
      if (!page.body.meta.next_page_url) break;
      page = await api().follow(page.body.meta.next_page_url);
      expect(page.body.meta.previous_page_url).toContain('Page=');
    }
    const inProgress = (await api().get(ROOMS, { Status: 'in-progress', PageSize: 1000 })).body.rooms.map((r: any) => r.sid);
    expect(seen).toEqual(inProgress);

    const second = await api().get(ROOMS, { PageSize: 2, Page: 1 });
    const firstFour = (await api().get(ROOMS, { PageSize: 4 })).body.rooms.map((r: any) => r.sid);
    expect(second.body.rooms.map((r: any) => r.sid)).toEqual(firstFour.slice(2));
    expect((await api().get(ROOMS, { PageSize: 0 })).status).toBe(400);
    expect((await api().get(ROOMS, { PageSize: 1001 })).status).toBe(400);
    expect((await api().get(ROOMS, { PageToken: 'garbage' })).status).toBe(400);
  });
});

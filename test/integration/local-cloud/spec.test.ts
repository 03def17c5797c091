import { describe, expect, it } from 'vitest';
import { useCloud } from './support/cloud';
import { type Exchange, findOperation, OPERATIONS, specProblems, toJsonSchema } from './support/openapi';

const { api, cloud } = useCloud();

/** Every Twilio operation the local cloud serves. */
const SERVED = [
  'CreateRoom', 'ListRoom', 'FetchRoom', 'UpdateRoom',
  'CreateDocument', 'ListDocument', 'FetchDocument', 'UpdateDocument', 'DeleteDocument',
  'CreatePlayerStreamer', 'ListPlayerStreamer', 'FetchPlayerStreamer', 'UpdatePlayerStreamer',
  'CreatePlayerStreamerPlaybackGrant', 'FetchPlayerStreamerPlaybackGrant',
  'CreateMediaProcessor', 'ListMediaProcessor', 'FetchMediaProcessor', 'UpdateMediaProcessor',
];

/** Drives every served operation with every parameter the cloud reads; returns the exchanges. */
async function tour(): Promise<Exchange[]> {
  const a = api();
  const docs = `/sync/v1/Services/${cloud().credentials.syncServiceSid}/Documents`;
  const room = (
    await a.post('/video/v1/Rooms', {
      UniqueName: 'tour', Type: 'group', EnableTurn: true, StatusCallback: 'http://127.0.0.1:1/cb', StatusCallbackMethod: 'POST',
      MaxParticipants: 10, RecordParticipantsOnConnect: false, VideoCodecs: ['VP8', 'H264'], MediaRegion: 'us1', AudioOnly: false,
      MaxParticipantDuration: 3600, EmptyRoomTimeout: 5, UnusedRoomTimeout: 5, LargeRoom: false,
    })
  ).body;
  await a.get('/video/v1/Rooms', { Status: 'in-progress', UniqueName: 'tour', DateCreatedAfter: '2000-01-01T00:00:00Z', DateCreatedBefore: '2100-01-01T00:00:00Z', PageSize: 1, Page: 0 });
  await a.get('/video/v1/Rooms/tour');

  const doc = (await a.post(docs, { UniqueName: 'tour-doc', Data: '{"a":1}', Ttl: 3600 })).body;
  await a.post(`${docs}/${doc.sid}`, { Data: '{"a":2}', Ttl: 7200 }, { headers: { 'If-Match': doc.revision } });
  await a.get(docs, { PageSize: 1, Page: 0 });
  await a.get(`${docs}/tour-doc`);

  const streamer = (await a.post('/media/v1/PlayerStreamers', { Video: true, MaxDuration: 600, StatusCallback: 'http://127.0.0.1:1/cb', StatusCallbackMethod: 'POST' })).body;
  cloud().state.markStreamerStarted(streamer.sid);
  await a.post(`/media/v1/PlayerStreamers/${streamer.sid}/PlaybackGrant`, { Ttl: 30, AccessControlAllowOrigin: 'http://127.0.0.1:5180' });
  await a.get(`/media/v1/PlayerStreamers/${streamer.sid}/PlaybackGrant`);
  const processor = (
    await a.post('/media/v1/MediaProcessors', {
      Extension: 'video-composer-v2', ExtensionContext: JSON.stringify({ room: { name: room.sid }, outputs: [streamer.sid] }),
      ExtensionEnvironment: '{}', StatusCallback: 'http://127.0.0.1:1/cb', StatusCallbackMethod: 'POST', MaxDuration: 600,
    })
  ).body;
  await a.get('/media/v1/MediaProcessors', { Status: 'started', Order: 'asc', PageSize: 5, Page: 0 });
  await a.get(`/media/v1/MediaProcessors/${processor.sid}`);
  await a.post(`/media/v1/MediaProcessors/${processor.sid}`, { Status: 'ended' });
  await a.get('/media/v1/PlayerStreamers', { Status: 'started', Order: 'desc', PageSize: 5, Page: 0 });
  await a.get(`/media/v1/PlayerStreamers/${streamer.sid}`);
  await a.post(`/media/v1/PlayerStreamers/${streamer.sid}`, { Status: 'ended' });

  await a.post('/video/v1/Rooms/tour', { Status: 'completed' });
  await a.delete(`${docs}/tour-doc`);
  // Paging pages beyond the first, and a few errors, are responses too.
  const page = (await a.get('/media/v1/PlayerStreamers', { PageSize: 1 })).body;
  if (page.meta.next_page_url) await a.follow(page.meta.next_page_url);
  await a.get(`${docs}/tour-doc`);
  await a.post('/video/v1/Rooms/tour', { Status: 'completed' });
  return [...a.exchanges];
}

describe('OpenAPI conformance', () => {
  it('serves every listed operation, each response valid against its schema, every parameter defined by the spec', async () => {
    const exchanges = await tour();
    const hit = new Set(exchanges.map((ex) => findOperation(ex.method, ex.path)?.operationId));
    expect([...SERVED].filter((id) => !hit.has(id))).toEqual([]);
    expect(SERVED.every((id) => OPERATIONS.some((op) => op.operationId === id))).toBe(true);
    // Success statuses are the spec's own (201 create, 202 room update, 204 delete, 200 otherwise).
    expect(exchanges.filter((ex) => ex.status < 300).map((ex) => `${findOperation(ex.method, ex.path)?.operationId} ${ex.status}`)).toContain('UpdateRoom 202');
    expect(exchanges.flatMap(specProblems)).toEqual([]);
    expect(exchanges.some((ex) => ex.status === 404)).toBe(true);
  });

  it('the checker catches a malformed response and an undefined parameter (so the checks above mean something)', async () => {
    const good = (await api().post('/video/v1/Rooms')).body;
    const base: Exchange = { method: 'POST', path: '/video/v1/Rooms', query: {}, body: {}, headers: {}, status: 201, response: good };
    expect(specProblems(base)).toEqual([]);
    const { links: _links, ...missingLinks } = good;
    const broken = [
      { ...good, status: 'paused' },
      missingLinks,
      { ...good, extra_field: 1 },
      { ...good, date_created: 'yesterday' },
      { ...good, sid: 'RM123' },
    ];
    for (const response of broken) expect(specProblems({ ...base, response }), JSON.stringify(response).slice(0, 80)).not.toEqual([]);
    expect(specProblems({ ...base, body: { FriendlyName: 'x' } })).toEqual([expect.stringContaining('FriendlyName')]);
    expect(specProblems({ ...base, headers: { 'If-Match': '0' } })).toEqual([expect.stringContaining('If-Match')]);
    expect(specProblems({ ...base, status: 200 })).toEqual([expect.stringContaining('no 200 response')]);
    expect(specProblems({ ...base, status: 400, response: { code: 1, message: 'x' } })).not.toEqual([]);
    api().exchanges.splice(0);
  });

  it('turns OpenAPI nullable into JSON Schema null types', () => {
    expect(toJsonSchema({ type: 'string', nullable: true }, {})).toEqual({ type: ['string', 'null'] });
    expect(toJsonSchema({ type: 'string', enum: ['a'], nullable: true }, {})).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(toJsonSchema({ nullable: true, description: 'any' }, {})).toEqual({});
    expect(toJsonSchema({ $ref: '#/components/schemas/e', type: 'string' }, { e: { type: 'string', enum: ['x'] } })).toEqual({ type: 'string', enum: ['x'] });
  });
});

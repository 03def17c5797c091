import type { FastifyInstance } from 'fastify';
import { isoSeconds } from '../clock';
import { invalidParameter } from '../errors';
import { ROOM_STATUSES, ROOM_TYPES, type RoomRecord, VIDEO_CODECS } from '../model';
import { paginate } from '../paging';
import { bodyParams, pathParam, queryParams, type RouteContext, saved } from './context';

const ROOMS = '/v1/Rooms';

export function registerVideoRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const roomUrl = (sid: string) => ctx.url('video', `${ROOMS}/${sid}`);
  const show = (r: RoomRecord) => ({
    sid: r.sid,
    status: r.status,
    date_created: isoSeconds(r.dateCreated),
    date_updated: isoSeconds(r.dateUpdated),
    account_sid: ctx.state.credentials.accountSid,
    enable_turn: r.enableTurn,
    unique_name: r.uniqueName,
    status_callback: r.statusCallback,
    status_callback_method: r.statusCallbackMethod,
    end_time: r.endTime === null ? null : isoSeconds(r.endTime),
    duration: r.endTime === null ? null : Math.round((r.endTime - r.dateCreated) / 1000),
    type: r.type,
    max_participants: r.maxParticipants,
    max_participant_duration: r.maxParticipantDuration,
    max_concurrent_published_tracks: r.maxConcurrentPublishedTracks,
    record_participants_on_connect: r.recordParticipantsOnConnect,
    video_codecs: r.videoCodecs,
    media_region: r.mediaRegion,
    audio_only: r.audioOnly,
    empty_room_timeout: r.emptyRoomTimeout,
    unused_room_timeout: r.unusedRoomTimeout,
    large_room: r.largeRoom,
    url: roomUrl(r.sid),
    links: {
      participants: `${roomUrl(r.sid)}/Participants`,
      recordings: `${roomUrl(r.sid)}/Recordings`,
      transcriptions: `${roomUrl(r.sid)}/Transcriptions`,
      recording_rules: `${roomUrl(r.sid)}/RecordingRules`,
    },
  });

  app.post('/video/v1/Rooms', async (request, reply) => {
    const p = bodyParams(request);
    const type = p.oneOf('Type', ROOM_TYPES) ?? 'group';
    const codecs = p.list('VideoCodecs');
    if (codecs?.some((c) => !(VIDEO_CODECS as readonly string[]).includes(c))) throw invalidParameter(`VideoCodecs must be among ${VIDEO_CODECS.join(', ')}`);
    const audioOnly = p.bool('AudioOnly') ?? false;
    const room = ctx.state.createRoom({
      uniqueName: p.string('UniqueName') || undefined,
      type,
      enableTurn: p.bool('EnableTurn') ?? true,
      statusCallback: p.uri('StatusCallback') ?? null,
      statusCallbackMethod: p.oneOf('StatusCallbackMethod', ['GET', 'POST']) ?? 'POST',
      maxParticipants: p.int('MaxParticipants', { min: 1, max: 50 }) ?? (type === 'peer-to-peer' ? 10 : 50),
      maxParticipantDuration: p.int('MaxParticipantDuration', { min: 600, max: 86400 }) ?? 14400,
      maxConcurrentPublishedTracks: type === 'peer-to-peer' ? 0 : 170,
      recordParticipantsOnConnect: p.bool('RecordParticipantsOnConnect') ?? false,
      videoCodecs: audioOnly ? [] : (codecs ?? ['VP8', 'H264']),
      mediaRegion: p.string('MediaRegion') ?? 'us1',
      audioOnly,
      emptyRoomTimeout: p.int('EmptyRoomTimeout', { min: 1, max: 60 }) ?? 5,
      unusedRoomTimeout: p.int('UnusedRoomTimeout', { min: 1, max: 60 }) ?? 5,
      largeRoom: p.bool('LargeRoom') ?? false,
    });
    return saved(ctx, reply, 201, show(room));
  });

  app.get('/video/v1/Rooms', async (request) => {
    const q = queryParams(request);
    const filters = { Status: q.oneOf('Status', ROOM_STATUSES), UniqueName: q.string('UniqueName') };
    const rooms = ctx.state.listRooms({
      status: filters.Status,
      uniqueName: filters.UniqueName,
      createdAfter: q.instant('DateCreatedAfter'),
      createdBefore: q.instant('DateCreatedBefore'),
    });
    const page = paginate(rooms, q, {
      listUrl: ctx.url('video', ROOMS),
      key: 'rooms',
      filters: { ...filters, DateCreatedAfter: q.string('DateCreatedAfter'), DateCreatedBefore: q.string('DateCreatedBefore') },
      maxPageSize: 1000,
    });
    return { rooms: page.items.map(show), meta: page.meta };
  });

  app.get('/video/v1/Rooms/:sid', async (request) => show(ctx.state.findRoom(pathParam(request, 'sid'))));

  app.post('/video/v1/Rooms/:sid', async (request, reply) => {
    const status = bodyParams(request).oneOf('Status', ROOM_STATUSES);
    if (status === undefined) throw invalidParameter('Missing required parameter Status in the post body');
    if (status !== 'completed') throw invalidParameter(`Status can only be set to completed, not ${status}`);
    return saved(ctx, reply, 202, show(ctx.state.completeRoom(pathParam(request, 'sid'))));
  });
}

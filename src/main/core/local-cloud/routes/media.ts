import type { FastifyInstance } from 'fastify';
import { isoSeconds } from '../clock';
import { invalidParameter } from '../errors';
import { type GrantRecord, PROCESSOR_STATUSES, type ProcessorRecord, STREAMER_STATUSES, type StreamerRecord } from '../model';
import { paginate } from '../paging';
import { HTTP_METHODS, type Params } from '../params';
import { parseJsonObject } from '../state';
import { bodyParams, pathParam, queryParams, type RouteContext, saved } from './context';

/** Twilio's MaxDuration rules for PlayerStreamers and MediaProcessors: default 300 s, at most 90000 s. */
const MAX_DURATION = { min: 1, max: 90_000 };
const DEFAULT_MAX_DURATION = 300;
const GRANT_TTL = { min: 1, max: 60 };
const DEFAULT_GRANT_TTL = 15;
const ORDERS = ['asc', 'desc'] as const;

export function registerMediaRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const url = (path: string) => ctx.url('media', `/v1${path}`);
  const common = (r: StreamerRecord | ProcessorRecord) => ({
    account_sid: ctx.state.credentials.accountSid,
    sid: r.sid,
    date_created: isoSeconds(r.dateCreated),
    date_updated: isoSeconds(r.dateUpdated),
    status: r.status,
    status_callback: r.statusCallback,
    status_callback_method: r.statusCallbackMethod,
    ended_reason: r.endedReason,
    max_duration: r.maxDuration,
  });
  const showStreamer = (s: StreamerRecord) => {
    const self = url(`/PlayerStreamers/${s.sid}`);
    return {
      ...common(s),
      video: s.video,
      url: self,
      links: {
        timed_metadata: `${self}/TimedMetadata`,
        playback_grant: `${self}/PlaybackGrant`,
        recording_playback_grant: `${self}/RecordingPlaybackGrant`,
      },
    };
  };
  const showProcessor = (p: ProcessorRecord) => ({
    ...common(p),
    extension: p.extension,
    extension_context: p.extensionContext,
    url: url(`/MediaProcessors/${p.sid}`),
  });
  const showGrant = (g: GrantRecord) => ({
    sid: g.playerStreamerSid,
    url: url(`/PlayerStreamers/${g.playerStreamerSid}/PlaybackGrant`),
    account_sid: ctx.state.credentials.accountSid,
    date_created: isoSeconds(g.dateCreated),
    grant: {
      playbackUrl: `${ctx.origin()}/media/hls/${g.playerStreamerSid}/${g.sessionId}/index.m3u8`,
      playerStreamerSid: g.playerStreamerSid,
      requestCredentials: null,
    },
  });
  const callback = (p: Params) => ({
    statusCallback: p.uri('StatusCallback') ?? null,
    statusCallbackMethod: p.oneOf('StatusCallbackMethod', HTTP_METHODS) ?? 'POST',
  });
  const requireEnded = (p: Params) => {
    const status = p.oneOf('Status', ['ended']);
    if (status === undefined) throw invalidParameter('Missing required parameter Status in the post body');
  };
  const listPage = <T>(records: T[], q: Params, path: string, key: string, filters: Record<string, string | undefined>) =>
    paginate(records, q, { listUrl: url(path), key, filters, maxPageSize: 1000 });

  // ---- PlayerStreamers ----
  app.post('/media/v1/PlayerStreamers', async (request, reply) => {
    const p = bodyParams(request);
    const streamer = ctx.state.createStreamer({
      video: p.bool('Video') ?? true,
      maxDuration: p.int('MaxDuration', MAX_DURATION) ?? DEFAULT_MAX_DURATION,
      ...callback(p),
    });
    return saved(ctx, reply, 201, showStreamer(streamer));
  });

  app.get('/media/v1/PlayerStreamers', async (request) => {
    const q = queryParams(request);
    const filters = { Status: q.oneOf('Status', STREAMER_STATUSES), Order: q.oneOf('Order', ORDERS) };
    const page = listPage(ctx.state.listStreamers(filters.Status, filters.Order ?? 'desc'), q, '/PlayerStreamers', 'player_streamers', filters);
    return { player_streamers: page.items.map(showStreamer), meta: page.meta };
  });

  app.get('/media/v1/PlayerStreamers/:sid', async (request) => showStreamer(ctx.state.findStreamer(pathParam(request, 'sid'))));

  app.post('/media/v1/PlayerStreamers/:sid', async (request, reply) => {
    requireEnded(bodyParams(request));
    return saved(ctx, reply, 200, showStreamer(ctx.state.endStreamer(pathParam(request, 'sid'))));
  });

  // ---- PlaybackGrant ----
  app.post('/media/v1/PlayerStreamers/:sid/PlaybackGrant', async (request, reply) => {
    const p = bodyParams(request);
    const grant = ctx.state.createGrant(pathParam(request, 'sid'), {
      ttl: p.int('Ttl', GRANT_TTL) ?? DEFAULT_GRANT_TTL,
      accessControlAllowOrigin: p.string('AccessControlAllowOrigin') ?? null,
    });
    return saved(ctx, reply, 201, showGrant(grant));
  });

  app.get('/media/v1/PlayerStreamers/:sid/PlaybackGrant', async (request) => showGrant(ctx.state.findGrant(pathParam(request, 'sid'))));

  // ---- MediaProcessors ----
  app.post('/media/v1/MediaProcessors', async (request, reply) => {
    const p = bodyParams(request);
    const environment = p.string('ExtensionEnvironment');
    if (environment !== undefined) parseJsonObject(environment, 'ExtensionEnvironment');
    const processor = ctx.state.createProcessor({
      extension: p.required('Extension'),
      extensionContext: p.required('ExtensionContext'),
      extensionEnvironment: environment ?? null,
      maxDuration: p.int('MaxDuration', MAX_DURATION) ?? DEFAULT_MAX_DURATION,
      ...callback(p),
    });
    return saved(ctx, reply, 201, showProcessor(processor));
  });

  app.get('/media/v1/MediaProcessors', async (request) => {
    const q = queryParams(request);
    const filters = { Status: q.oneOf('Status', PROCESSOR_STATUSES), Order: q.oneOf('Order', ORDERS) };
    const page = listPage(ctx.state.listProcessors(filters.Status, filters.Order ?? 'desc'), q, '/MediaProcessors', 'media_processors', filters);
    return { media_processors: page.items.map(showProcessor), meta: page.meta };
  });

  app.get('/media/v1/MediaProcessors/:sid', async (request) => showProcessor(ctx.state.findProcessor(pathParam(request, 'sid'))));

  app.post('/media/v1/MediaProcessors/:sid', async (request, reply) => {
    requireEnded(bodyParams(request));
    return saved(ctx, reply, 200, showProcessor(ctx.state.endProcessor(pathParam(request, 'sid'))));
  });
}

import type { FastifyInstance } from 'fastify';
import { isoSeconds } from '../clock';
import { invalidParameter } from '../errors';
import type { MediaCollection, MediaRecord } from '../media-collection';
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

interface MediaResource<R extends MediaRecord & { statusCallback: string | null; statusCallbackMethod: string }> {
  /** `PlayerStreamers` or `MediaProcessors`. */
  name: string;
  /** The list key: `player_streamers` or `media_processors`. */
  key: string;
  statuses: readonly string[];
  collection: MediaCollection<R>;
  create(p: Params): R;
  /** The resource's own fields, after the shared ones. */
  show(record: R, url: string): Record<string, unknown>;
}

/** Create, list (Status, Order, paging), fetch, and update Status=ended: the same for both Media v1 collections. */
function registerMediaResource<R extends MediaRecord & { statusCallback: string | null; statusCallbackMethod: string }>(
  app: FastifyInstance,
  ctx: RouteContext,
  resource: MediaResource<R>,
): void {
  const base = `/media/v1/${resource.name}`;
  const show = (r: R) => {
    const url = ctx.url('media', `/v1/${resource.name}/${r.sid}`);
    return {
      account_sid: ctx.state.credentials.accountSid,
      sid: r.sid,
      date_created: isoSeconds(r.dateCreated),
      date_updated: isoSeconds(r.dateUpdated),
      status: r.status,
      status_callback: r.statusCallback,
      status_callback_method: r.statusCallbackMethod,
      ended_reason: r.endedReason,
      max_duration: r.maxDuration,
      url,
      ...resource.show(r, url),
    };
  };

  app.post(base, async (request, reply) => saved(ctx, reply, 201, show(resource.create(bodyParams(request)))));

  app.get(base, async (request) => {
    const q = queryParams(request);
    const filters = { Status: q.oneOf('Status', resource.statuses), Order: q.oneOf('Order', ORDERS) };
    const records = resource.collection.list(filters.Status, filters.Order ?? 'desc');
    const page = paginate(records, q, { listUrl: ctx.url('media', `/v1/${resource.name}`), key: resource.key, filters, maxPageSize: 1000 });
    return { [resource.key]: page.items.map(show), meta: page.meta };
  });

  app.get(`${base}/:sid`, async (request) => show(resource.collection.find(pathParam(request, 'sid'))));

  app.post(`${base}/:sid`, async (request, reply) => {
    if (bodyParams(request).oneOf('Status', ['ended']) === undefined) throw invalidParameter('Missing required parameter Status in the post body');
    return saved(ctx, reply, 200, show(resource.collection.endViaApi(pathParam(request, 'sid'))));
  });
}

export function registerMediaRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const callback = (p: Params) => ({
    statusCallback: p.uri('StatusCallback') ?? null,
    statusCallbackMethod: p.oneOf('StatusCallbackMethod', HTTP_METHODS) ?? 'POST',
  });
  const maxDuration = (p: Params) => p.int('MaxDuration', MAX_DURATION) ?? DEFAULT_MAX_DURATION;

  registerMediaResource<StreamerRecord>(app, ctx, {
    name: 'PlayerStreamers',
    key: 'player_streamers',
    statuses: STREAMER_STATUSES,
    collection: ctx.state.streamers,
    create: (p) => ctx.state.createStreamer({ video: p.bool('Video') ?? true, maxDuration: maxDuration(p), ...callback(p) }),
    show: (s, url) => ({
      video: s.video,
      links: { timed_metadata: `${url}/TimedMetadata`, playback_grant: `${url}/PlaybackGrant`, recording_playback_grant: `${url}/RecordingPlaybackGrant` },
    }),
  });

  registerMediaResource<ProcessorRecord>(app, ctx, {
    name: 'MediaProcessors',
    key: 'media_processors',
    statuses: PROCESSOR_STATUSES,
    collection: ctx.state.processors,
    create: (p) => {
      const environment = p.string('ExtensionEnvironment');
      if (environment !== undefined) parseJsonObject(environment, 'ExtensionEnvironment');
      return ctx.state.createProcessor({
        extension: p.required('Extension'),
        extensionContext: p.required('ExtensionContext'),
        extensionEnvironment: environment ?? null,
        maxDuration: maxDuration(p),
        ...callback(p),
      });
    },
    show: (p) => ({ extension: p.extension, extension_context: p.extensionContext }),
  });

  const showGrant = (g: GrantRecord) => ({
    sid: g.playerStreamerSid,
    url: ctx.url('media', `/v1/PlayerStreamers/${g.playerStreamerSid}/PlaybackGrant`),
    account_sid: ctx.state.credentials.accountSid,
    date_created: isoSeconds(g.dateCreated),
    grant: {
      playbackUrl: `${ctx.origin()}/media/hls/${g.playerStreamerSid}/${g.sessionId}/index.m3u8`,
      playerStreamerSid: g.playerStreamerSid,
      requestCredentials: null,
    },
  });

  app.post('/media/v1/PlayerStreamers/:sid/PlaybackGrant', async (request, reply) => {
    const p = bodyParams(request);
    const grant = ctx.state.createGrant(pathParam(request, 'sid'), {
      ttl: p.int('Ttl', GRANT_TTL) ?? DEFAULT_GRANT_TTL,
      accessControlAllowOrigin: p.string('AccessControlAllowOrigin') ?? null,
    });
    return saved(ctx, reply, 201, showGrant(grant));
  });

  app.get('/media/v1/PlayerStreamers/:sid/PlaybackGrant', async (request) => showGrant(ctx.state.findGrant(pathParam(request, 'sid'))));
}

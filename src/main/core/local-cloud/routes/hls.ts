import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MediaEngine } from '../media-engine';
import type { RouteContext } from './context';

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const SEGMENT_TYPE = 'video/mp2t';
/** A player that asks for the playlist before the first segment waits this long instead of getting a 404. */
const FIRST_SEGMENT_WAIT_MS = 8_000;

/**
 * `GET {origin}/media/hls/{PlayerStreamerSid}/{sessionId}/index.m3u8` and its segments, without
 * Basic auth (as a PlaybackGrant URL), with CORS for the origin the latest PlaybackGrant allows.
 */
export function registerHlsRoutes(app: FastifyInstance, ctx: RouteContext, media: MediaEngine): void {
  const cors = (request: FastifyRequest, reply: FastifyReply, streamerSid: string) => {
    const allowed = ctx.state.grantOrigin(streamerSid);
    const origin = request.headers.origin;
    if (allowed === null || allowed === '*') reply.header('access-control-allow-origin', '*');
    else if (allowed !== undefined && origin === allowed) reply.header('access-control-allow-origin', allowed);
    reply.header('vary', 'Origin');
  };
  const params = (request: FastifyRequest) => request.params as { sid: string; session: string; file: string };

  app.options('/media/hls/:sid/:session/:file', { config: { public: true } }, async (request, reply) => {
    cors(request, reply, params(request).sid);
    reply.header('access-control-allow-methods', 'GET, HEAD, OPTIONS');
    reply.header('access-control-allow-headers', 'range');
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });

  app.get('/media/hls/:sid/:session/:file', { config: { public: true } }, async (request, reply) => {
    const { sid, session, file } = params(request);
    const packager = media.session(sid, session);
    cors(request, reply, sid);
    reply.header('x-content-type-options', 'nosniff');
    if (!packager) return reply.code(404).type('text/plain').send('No such stream');
    if (file === 'index.m3u8') {
      await media.waitForFirstSegment(packager, FIRST_SEGMENT_WAIT_MS);
      if (!packager.hasSegments() && packager.state === 'waiting') return reply.code(404).type('text/plain').send('Stream not started');
      return reply.header('cache-control', 'no-cache, no-store').type(PLAYLIST_TYPE).send(packager.playlist());
    }
    const segment = await media.openSegment(packager, file);
    if (!segment) return reply.code(404).type('text/plain').send('No such segment');
    reply.header('cache-control', segment.length === undefined ? 'no-cache, no-store' : 'max-age=60');
    if (segment.length !== undefined) reply.header('content-length', String(segment.length));
    return reply.type(SEGMENT_TYPE).send(segment.stream);
  });
}

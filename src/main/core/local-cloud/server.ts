import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAuthorized } from './auth';
import { genericCode, TwilioCode, TwilioError, twilioErrorBody } from './errors';
import type { FaultBook } from './faults';
import { BODY_LIMIT_BYTES } from './limits';
import { flattenParams } from './params';
import type { RequestLog } from './request-log';
import { CONTROL_PREFIX, registerControlRoutes } from './routes/control';
import type { RouteContext } from './routes/context';
import type { MediaEngine } from './media-engine';
import { registerHlsRoutes } from './routes/hls';
import { registerMediaRoutes } from './routes/media';
import { registerSyncRoutes } from './routes/sync';
import { registerVideoRoutes } from './routes/video';

export const HOST = '127.0.0.1';

/** Routes declared with `config: { public: true }` skip Basic auth (for the media path's HLS files). */
export interface RouteConfig {
  public?: boolean;
}

const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? request.url;

function sendError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send(twilioErrorBody(status, code, message));
}

export interface ServerOptions {
  media?: MediaEngine;
  /** Registers `/__control/*` (tests only). */
  testControls?: boolean;
}

/** Requests that did not pass auth: logged without their parameters. */
const refused = new WeakSet<FastifyRequest>();

/** Builds the Fastify app: auth, faults, expiry sweep, request log, Twilio-shaped errors, and the routes. */
export function buildServer(ctx: RouteContext, faults: FaultBook, log: RequestLog, options: ServerOptions = {}): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
  void app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config as RouteConfig | undefined;
    if (!config?.public && !isAuthorized(request.headers.authorization, ctx.state.credentials)) {
      refused.add(request);
      reply.header('WWW-Authenticate', 'Basic realm="Twilio API"');
      return sendError(reply, 401, TwilioCode.authenticate, 'Authenticate');
    }
    const path = pathOf(request);
    if (path.startsWith(CONTROL_PREFIX)) return;
    const fault = faults.take(request.method, path);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status !== undefined) return sendError(reply, fault.status, fault.code ?? genericCode(fault.status), `Injected fault (HTTP ${fault.status})`);
  });

  app.addHook('preHandler', async () => {
    if (ctx.state.sweep()) void ctx.state.save();
  });

  app.addHook('onSend', async (request, reply) => {
    // HLS polling (several requests a second) is not part of the REST log.
    if (pathOf(request).startsWith('/media/hls/')) return;
    const params = refused.has(request) ? {} : flattenParams(request.query, request.body);
    log.add({ method: request.method, path: pathOf(request), params, status: reply.statusCode });
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof TwilioError) return sendError(reply, error.status, error.code, error.message);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const message = status >= 500 ? 'Internal server error' : (error as Error).message;
    return sendError(reply, status, genericCode(status), message);
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, TwilioCode.notFound, `The requested resource ${pathOf(request)} was not found`));

  registerVideoRoutes(app, ctx);
  registerSyncRoutes(app, ctx);
  registerMediaRoutes(app, ctx);
  if (options.media) registerHlsRoutes(app, ctx, options.media);
  if (options.testControls) registerControlRoutes(app, ctx, faults);
  return app;
}

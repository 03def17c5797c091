import type { FastifyReply, FastifyRequest } from 'fastify';
import { Params, type RawParams } from '../params';
import type { CloudState } from '../state';

/** What every route module needs: the state and how to write absolute URLs. */
export interface RouteContext {
  state: CloudState;
  /** `{origin}/{domain}{path}`, e.g. url('video', '/v1/Rooms'). */
  url(domain: string, path: string): string;
  origin(): string;
}

export function bodyParams(request: FastifyRequest): Params {
  return new Params((request.body ?? {}) as RawParams);
}

export function queryParams(request: FastifyRequest): Params {
  return new Params((request.query ?? {}) as RawParams);
}

export function pathParam(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? '';
}

/**
 * Records the change, then sends `body` with `status`. The change reaches the disk within the
 * store's coalescing window (a crash may lose that window; a clean close loses nothing).
 */
export async function saved(ctx: RouteContext, reply: FastifyReply, status: number, body: unknown): Promise<FastifyReply> {
  await ctx.state.save();
  return reply.code(status).send(body);
}

import type { FastifyInstance } from 'fastify';
import { invalidParameter } from '../errors';
import type { FaultBook } from '../faults';
import { PathGlob } from '../path-glob';
import type { FaultRule } from '../types';
import { bodyParams, type RouteContext, saved } from './context';

export const CONTROL_PREFIX = '/__control/';
/** One step of the test clock: a year and a day (the longest Sync Ttl is a year). */
export const MAX_CLOCK_ADVANCE_MS = 366 * 24 * 3600 * 1000;

/**
 * Test control over HTTP (same Basic auth as the API), registered only with `testControls`:
 * - POST /__control/faults  Path (exact) or PathPattern (a `PathGlob`, not a RegExp), Method?, Count, Status?, Code?, DelayMs?
 * - DELETE /__control/faults  clears every fault
 * - POST /__control/clock  AdvanceMs (at most MAX_CLOCK_ADVANCE_MS); GET /__control/clock
 */
export function registerControlRoutes(app: FastifyInstance, ctx: RouteContext, faults: FaultBook): void {
  const clockBody = () => {
    const now = ctx.state.clock.now();
    return { now: new Date(now).toISOString(), now_ms: now };
  };

  app.post('/__control/faults', async (request, reply) => {
    const p = bodyParams(request);
    const exact = p.string('Path');
    const pattern = p.string('PathPattern');
    if ((exact === undefined) === (pattern === undefined)) throw invalidParameter('Give exactly one of Path and PathPattern');
    let path: PathGlob | string;
    try {
      path = exact ?? new PathGlob(pattern as string);
    } catch (error) {
      throw invalidParameter(`PathPattern: ${(error as Error).message}`);
    }
    const rule: FaultRule = {
      path,
      method: p.string('Method'),
      count: p.int('Count', { min: 1, max: 1_000_000 }) ?? 1,
      status: p.int('Status', { min: 400, max: 599 }),
      code: p.int('Code', { min: 1, max: 99_999 }),
      delayMs: p.int('DelayMs', { min: 0, max: 600_000 }),
    };
    if (rule.status === undefined && rule.delayMs === undefined) throw invalidParameter('Give Status, DelayMs, or both');
    faults.inject(rule);
    return reply.code(201).send({ path: String(rule.path), method: rule.method ?? null, count: rule.count, status: rule.status ?? null, code: rule.code ?? null, delay_ms: rule.delayMs ?? null });
  });

  app.delete('/__control/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  app.get('/__control/clock', async () => clockBody());

  app.post('/__control/clock', async (request, reply) => {
    const ms = bodyParams(request).int('AdvanceMs', { min: 0, max: MAX_CLOCK_ADVANCE_MS });
    if (ms === undefined) throw invalidParameter('Missing required parameter AdvanceMs in the post body');
    ctx.state.clock.advance(ms);
    ctx.state.sweep();
    return saved(ctx, reply, 200, clockBody());
  });
}

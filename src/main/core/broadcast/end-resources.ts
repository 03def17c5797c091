import { StudioError } from '../../../shared/errors';
import type { StudioTwilio } from '../twilio/client';
import {
  endMediaProcessor,
  endPlayerStreamer,
  fetchMediaProcessor,
  fetchPlayerStreamer,
  isEnded,
  listMediaProcessors,
  listPlayerStreamers,
} from '../twilio/media';

export type ResourceKind = 'MediaProcessor' | 'PlayerStreamer';

const gone = (error: unknown) => error instanceof StudioError && (error.code === 'twilio.not_found' || error.code === 'twilio.live_retired');

/**
 * Ends one Media v1 resource. "Already ended" and "not found" count as success;
 * any other failure is checked against the resource's current status before it
 * is reported. Returns the final status (`ended`, or null when it does not exist).
 */
export async function endResource(twilio: StudioTwilio, kind: ResourceKind, sid: string): Promise<string | null> {
  const end = kind === 'MediaProcessor' ? endMediaProcessor : endPlayerStreamer;
  const fetch = kind === 'MediaProcessor' ? fetchMediaProcessor : fetchPlayerStreamer;
  try {
    const result = await end(twilio, sid);
    if (isEnded(result.status)) return result.status.toLowerCase();
  } catch (error) {
    if (gone(error)) return null;
    let current: { status: string };
    try {
      current = await fetch(twilio, sid);
    } catch (fetchError) {
      if (gone(fetchError)) return null;
      throw error;
    }
    if (isEnded(current.status)) return current.status.toLowerCase();
    throw error;
  }
  const after = await fetch(twilio, sid);
  if (isEnded(after.status)) return after.status.toLowerCase();
  throw new StudioError('twilio.server_error', `${kind} ${sid} did not end (status ${after.status}).`);
}

/** Every MediaProcessor that is started and every PlayerStreamer that is created or started. */
export async function listActive(twilio: StudioTwilio): Promise<Array<{ kind: ResourceKind; sid: string }>> {
  const [processors, created, started] = await Promise.all([
    listMediaProcessors(twilio, 'started'),
    listPlayerStreamers(twilio, 'created'),
    listPlayerStreamers(twilio, 'started'),
  ]);
  return [
    ...processors.map((p) => ({ kind: 'MediaProcessor' as const, sid: p.sid })),
    ...[...created, ...started].map((s) => ({ kind: 'PlayerStreamer' as const, sid: s.sid })),
  ];
}

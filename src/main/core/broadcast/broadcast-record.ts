import { z } from 'zod';
import { StudioError } from '../../../shared/errors';
import type { StudioTwilio } from '../twilio/client';
import { deleteDocument, readDocument, writeDocument } from '../twilio/sync';

/** The Sync document the seeds keep a broadcast in. */
export const RECORD_NAME = 'streaming_info';

export const broadcastRecordSchema = z.object({
  roomSid: z.string(),
  playerStreamerSid: z.string(),
  mediaProcessorSid: z.string(),
  startedAt: z.string().optional(),
});
export type BroadcastRecord = z.infer<typeof broadcastRecordSchema>;

/**
 * The durable record of the live broadcast. A document that is missing is
 * normal (nothing live); one that does not parse is treated as stale.
 */
export class BroadcastRecordStore {
  constructor(
    private readonly twilio: StudioTwilio,
    private readonly serviceSid: string,
  ) {
    if (!serviceSid) {
      throw new StudioError('twilio.not_configured', 'Broadcasts keep their record in Twilio Sync: add the Sync service SID in Settings.', {
        issues: [{ path: 'syncServiceSid', messageKey: 'validation.syncServiceSid' }],
      });
    }
  }

  async read(): Promise<{ record: BroadcastRecord | null; exists: boolean }> {
    const doc = await readDocument<unknown>(this.twilio, this.serviceSid, RECORD_NAME);
    if (!doc) return { record: null, exists: false };
    const parsed = broadcastRecordSchema.safeParse(doc.data);
    return { record: parsed.success ? parsed.data : null, exists: true };
  }

  write(record: BroadcastRecord): Promise<void> {
    return writeDocument(this.twilio, this.serviceSid, RECORD_NAME, record);
  }

  remove(): Promise<boolean> {
    return deleteDocument(this.twilio, this.serviceSid, RECORD_NAME);
  }
}

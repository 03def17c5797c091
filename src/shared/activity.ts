/** The activity panel's record of REST calls. */
import { z } from 'zod';

/** One REST call to Twilio (or the local cloud), as the activity panel shows it. Never a credential. */
export const activityEntrySchema = z.strictObject({
  id: z.number().int(),
  at: z.string(),
  method: z.string(),
  domain: z.string(),
  path: z.string(),
  status: z.number().int().nullable(),
  ms: z.number(),
  twilioCode: z.number().int().optional(),
  /** `retry 1/3` etc. when the call was a retry. */
  attempt: z.number().int().optional(),
});
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

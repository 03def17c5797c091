/** Rooms, tokens and the connection test: what the Twilio side of the contract carries. */
import { z } from 'zod';
import { roomNameSchema } from './settings';

export const roomInfoSchema = z.strictObject({
  sid: z.string(),
  uniqueName: z.string(),
  status: z.string(),
  type: z.string(),
  created: z.boolean(),
});
export type RoomInfo = z.infer<typeof roomInfoSchema>;

export const videoTokenRequestSchema = z
  .strictObject({ identity: z.string().optional(), room: roomNameSchema.optional() })
  .optional();
export const videoTokenSchema = z.strictObject({
  token: z.string(),
  identity: z.string(),
  room: z.string(),
  roomSid: z.string(),
  expiresAt: z.string(),
});
export type VideoToken = z.infer<typeof videoTokenSchema>;

export const playbackTokenSchema = z.strictObject({ token: z.string(), expiresAt: z.string() });
export type PlaybackToken = z.infer<typeof playbackTokenSchema>;

/** Credentials to try before saving them; omitted fields come from the stored settings. */
export const connectionTestRequestSchema = z
  .strictObject({
    mode: z.enum(['local', 'twilio']).optional(),
    accountSid: z.string().optional(),
    apiKeySid: z.string().optional(),
    apiSecret: z.string().optional(),
  })
  .optional();
export const connectionTestSchema = z.strictObject({ mode: z.enum(['local', 'twilio']), accountSid: z.string(), ms: z.number() });
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

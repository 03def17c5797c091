/**
 * What the local cloud accepts and keeps. Twilio's documented limits where it has them; where
 * Twilio documents none (or an account quota far beyond one studio's use), a local bound that
 * keeps the state file small. Tests may lower or raise them (`LocalCloudOptions.limits`).
 */
export interface CloudLimits {
  /** PlayerStreamers `created` or `started` at once (Twilio Live's default video quota: 5) → 58001. */
  activePlayerStreamers: number;
  /** MediaProcessors `started` at once (local bound, as the PlayerStreamer quota) → 58002. */
  activeMediaProcessors: number;
  /** Ended PlayerStreamers and MediaProcessors kept for listing, each (local); the oldest go first. */
  endedMediaKept: number;
  /** Rooms `in-progress` at once (local; Twilio's account quota is 10,000) → 53119. */
  inProgressRooms: number;
  /** Rooms kept in all (local); past it the oldest completed or failed rooms are forgotten. */
  roomsKept: number;
  /** Sync Documents in the one service (local; Twilio documents none, so a plain 400 / 20001). */
  documents: number;
}

export const DEFAULT_LIMITS: Readonly<CloudLimits> = Object.freeze({
  activePlayerStreamers: 5,
  activeMediaProcessors: 5,
  endedMediaKept: 200,
  inProgressRooms: 100,
  roomsKept: 500,
  documents: 100,
});

/** Twilio Video: "Maximum Room name length: 128 characters" → 53101. */
export const ROOM_UNIQUE_NAME_MAX = 128;
/** Sync Document `unique_name`: "can be up to 320 characters long" (the OpenAPI file) → 54302. */
export const DOCUMENT_UNIQUE_NAME_MAX = 320;
/** Sync Document data: "Can be up to 16 KiB in length" → 54006. */
export const DOCUMENT_MAX_BYTES = 16 * 1024;
/** Largest request body the server reads: a 16 KiB Document, form-encoded (up to 3× as %XX), plus room. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Records the local cloud keeps (times are clock milliseconds). This is the on-disk shape too. */

/** The local cloud's own account and API key (made at first start, kept in its data folder). */
export interface LocalCloudCredentials {
  accountSid: string;
  apiKeySid: string;
  apiSecret: string;
  syncServiceSid: string;
}

export const ROOM_STATUSES = ['in-progress', 'completed', 'failed'] as const;
export const ROOM_TYPES = ['group', 'go', 'peer-to-peer', 'group-small'] as const;
export const VIDEO_CODECS = ['VP8', 'H264'] as const;
export const STREAMER_STATUSES = ['created', 'started', 'ended', 'failed'] as const;
export const PROCESSOR_STATUSES = ['started', 'ended', 'failed'] as const;

export type RoomStatus = (typeof ROOM_STATUSES)[number];
export type StreamerStatus = (typeof STREAMER_STATUSES)[number];
export type ProcessorStatus = (typeof PROCESSOR_STATUSES)[number];
export type EndedReason = 'ended-via-api' | 'max-duration-exceeded' | 'stream-disconnected-by-source' | 'unexpected-failure';

interface Timestamps {
  dateCreated: number;
  dateUpdated: number;
}

interface Callback {
  statusCallback: string | null;
  statusCallbackMethod: string;
}

export interface RoomRecord extends Timestamps, Callback {
  sid: string;
  uniqueName: string;
  status: RoomStatus;
  type: (typeof ROOM_TYPES)[number];
  endTime: number | null;
  enableTurn: boolean;
  maxParticipants: number;
  maxParticipantDuration: number;
  maxConcurrentPublishedTracks: number;
  recordParticipantsOnConnect: boolean;
  videoCodecs: string[];
  mediaRegion: string;
  audioOnly: boolean;
  emptyRoomTimeout: number;
  unusedRoomTimeout: number;
  largeRoom: boolean;
}

export interface DocumentRecord extends Timestamps {
  sid: string;
  uniqueName: string | null;
  data: unknown;
  revision: number;
  dateExpires: number | null;
}

export interface StreamerRecord extends Timestamps, Callback {
  sid: string;
  status: StreamerStatus;
  video: boolean;
  maxDuration: number;
  endedReason: EndedReason | null;
  /** Names the HLS session the playback URL points at; the media path may start a new one. */
  sessionId: string;
}

export interface ProcessorRecord extends Timestamps, Callback {
  sid: string;
  status: ProcessorStatus;
  extension: string;
  extensionContext: string;
  extensionEnvironment: string | null;
  maxDuration: number;
  endedReason: EndedReason | null;
  roomSid: string;
  outputs: string[];
}

export interface GrantRecord {
  playerStreamerSid: string;
  sessionId: string;
  ttl: number;
  accessControlAllowOrigin: string | null;
  dateCreated: number;
}

export interface CloudData {
  version: 1;
  credentials: LocalCloudCredentials;
  rooms: RoomRecord[];
  documents: DocumentRecord[];
  playerStreamers: StreamerRecord[];
  mediaProcessors: ProcessorRecord[];
  /** The latest grant per PlayerStreamer sid. */
  playbackGrants: Record<string, GrantRecord>;
}

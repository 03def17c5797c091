import { z } from 'zod';
import type { IpcError } from './errors';
import { activityEntrySchema } from './activity';
import { broadcastStatusSchema, cleanupReportSchema } from './broadcast';
import { mainLatencySchema } from './latency';
import { mediaChunkAckSchema, mediaChunkRequestSchema, mediaCloseRequestSchema, mediaIngestSchema, mediaOpenRequestSchema, mediaStatusSchema } from './media';
import { connectionTestRequestSchema, connectionTestSchema, playbackTokenSchema, roomInfoSchema, videoTokenRequestSchema, videoTokenSchema } from './twilio';
import {
  destinationAddRequestSchema,
  destinationIdRequestSchema,
  destinationRuntimeSchema,
  destinationsSnapshotSchema,
  destinationUpdateRequestSchema,
  destinationViewSchema,
} from './destinations';
import { captureChoiceSchema, captureChooseRequestSchema, captureSourcesSchema } from './capture';
import { recordingStatusSchema } from './recording';
import { type ScenesDoc, scenesDocSchema } from './scenes';
import { settingsPatchSchema, settingsViewSchema } from './settings';
import {
  guestActionRequestSchema,
  guestSignalSchema,
  guestsConfigPatchSchema,
  guestsSnapshotSchema,
  guestViewSchema,
  inviteCreatedSchema,
  inviteCreateRequestSchema,
  inviteIdRequestSchema,
  inviteViewSchema,
  roomParticipantRequestSchema,
} from './guests';
import { roomInviteCreatedSchema, roomInviteRequestSchema } from './guest-room';

/**
 * The one IPC contract. Every channel is declared here once: its request and
 * response schema (invoke) or its payload schema (events, main → renderer).
 * The preload surface, the main-process registration and the browser harness are
 * all derived from this object.
 */
const none = z.undefined();

export const appInfoSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  /** `electron` in the desktop app, `web` in the browser harness. */
  shell: z.enum(['electron', 'web']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const contract = {
  invoke: {
    'app.info': { request: none, response: appInfoSchema },
    'settings.get': { request: none, response: settingsViewSchema },
    'settings.update': { request: settingsPatchSchema, response: settingsViewSchema },
    'settings.clearSecret': { request: none, response: settingsViewSchema },
    /** One cheap authenticated call with the given (or stored) credentials. */
    'connection.test': { request: connectionTestRequestSchema, response: connectionTestSchema },
    'activity.list': { request: none, response: z.array(activityEntrySchema) },
    'rooms.ensure': { request: none, response: roomInfoSchema },
    'tokens.video': { request: videoTokenRequestSchema, response: videoTokenSchema },
    'tokens.playback': { request: none, response: playbackTokenSchema },
    'broadcast.status': { request: none, response: broadcastStatusSchema },
    'broadcast.start': { request: none, response: broadcastStatusSchema },
    'broadcast.stop': { request: none, response: broadcastStatusSchema },
    /** Attach to an orphaned broadcast found at start-up. */
    'broadcast.resume': { request: none, response: broadcastStatusSchema },
    /** End every active MediaProcessor and PlayerStreamer and delete a stale record. */
    'broadcast.cleanup': { request: none, response: cleanupReportSchema },
    /** A feed from the renderer's encoder: the program (destinations, recording, preview) or, with `leg: 'preview'`, the preview's own short-GOP leg (Local mode, live). */
    'media.open': { request: mediaOpenRequestSchema, response: mediaIngestSchema },
    /** One chunk of the feed, in order, as binary; refused with `media.backpressure` when main's queue is full. */
    'media.chunk': { request: mediaChunkRequestSchema, response: mediaChunkAckSchema },
    'media.close': { request: mediaCloseRequestSchema, response: mediaStatusSchema },
    'media.status': { request: none, response: mediaStatusSchema },
    /** Where the program feed's latency goes in main (per-stage median and p90 over its last frames; `src/shared/latency.ts`). */
    'media.latency': { request: none, response: mainLatencySchema },
    /** Every destination (no stream key, ever) and what each output is doing. */
    'destinations.list': { request: none, response: destinationsSnapshotSchema },
    /** The stream key is write-only; while live an enabled destination starts at once. */
    'destinations.add': { request: destinationAddRequestSchema, response: destinationViewSchema },
    /** Omitted fields are kept (the key too); `enabled` turns its output on or off while live. */
    'destinations.update': { request: destinationUpdateRequestSchema, response: destinationViewSchema },
    /** Stops its output and deletes its key from the vault. */
    'destinations.remove': { request: destinationIdRequestSchema, response: destinationsSnapshotSchema },
    /** Reconnect now: skips the backoff wait, or tries a failed destination again (while live). */
    'destinations.reconnect': { request: destinationIdRequestSchema, response: destinationRuntimeSchema },
    /** The current (or last) recording: state, file, elapsed time, size, error. */
    'recording.status': { request: none, response: recordingStatusSchema },
    /** Record the program feed into the recording folder, with or without a broadcast (refusals: `recording.*`, `ffmpeg.*`). */
    'recording.start': { request: none, response: recordingStatusSchema },
    /** Stop recording and finish the file; resolves once it is `done` or `failed`. */
    'recording.stop': { request: none, response: recordingStatusSchema },
    /** Screens and windows to share, with thumbnails (desktop app); `capture.unsupported` in the browser harness. */
    'capture.sources': { request: none, response: captureSourcesSchema },
    /** The source the next `getDisplayMedia` call gets (one call, within 30 s); `capture.source_unknown` if not listed. */
    'capture.choose': { request: captureChooseRequestSchema, response: captureChoiceSchema },
    /** The scenes, sources, transition and mixer levels (the default document when none is stored). */
    'scenes.get': { request: none, response: scenesDocSchema },
    /** Replaces the document; validated by main's scene store, which refuses with `scenes.invalid` (fields), `scenes.image_too_large` or `scenes.too_large`. */
    'scenes.save': { request: z.custom<ScenesDoc>((value) => value !== undefined), response: scenesDocSchema },
    /** Guests: settings, the network guest server, invites (no secret) and who is backstage or on stage. */
    'guests.list': { request: none, response: guestsSnapshotSchema },
    /** Share on my network (off by default), its listen address and port, the most guests at once; starts or stops the guest server. */
    'guests.configure': { request: guestsConfigPatchSchema, response: guestsSnapshotSchema },
    /** A new invite; its link (secret in the fragment) is returned this once (`guests.not_sharing` while the guest server is off). */
    'guests.invite': { request: inviteCreateRequestSchema, response: inviteCreatedSchema },
    /** Twilio mode: an invite whose link carries a Twilio token minted in main for the room (`guests.not_twilio`, `guests.no_page_url`). */
    'guests.roomInvite': { request: roomInviteRequestSchema, response: roomInviteCreatedSchema },
    /** A revoked link is refused from now on. */
    'guests.revoke': { request: inviteIdRequestSchema, response: inviteViewSchema },
    /** Put on stage, back to backstage, mute, unmute, remove (`guests.guest_not_found`, `guests.guest_gone`). */
    'guests.act': { request: guestActionRequestSchema, response: guestViewSchema },
    /** The renderer's WebRTC offer, answer or ICE candidate for a guest's page. */
    'guests.signal': { request: guestSignalSchema, response: z.strictObject({ delivered: z.literal(true) }) },
    /** Twilio mode: a participant of the room connected (→ backstage; null when the studio is full) or left (→ dropped). */
    'guests.room': { request: roomParticipantRequestSchema, response: guestViewSchema.nullable() },
  },
  events: {
    'settings.changed': settingsViewSchema,
    'activity.entry': activityEntrySchema,
    'broadcast.changed': broadcastStatusSchema,
    'media.changed': mediaStatusSchema,
    'destinations.changed': destinationsSnapshotSchema,
    'recording.changed': recordingStatusSchema,
    'scenes.changed': scenesDocSchema,
    'guests.changed': guestsSnapshotSchema,
    /** A guest page's WebRTC offer, answer or ICE candidate for the renderer. */
    'guests.signal': guestSignalSchema,
  },
} as const;

type Invoke = typeof contract.invoke;
type Events = typeof contract.events;

export type ChannelName = keyof Invoke;
export type EventName = keyof Events;
export type RequestOf<C extends ChannelName> = z.input<Invoke[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Invoke[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Invoke[C]['response']>;
export type EventPayloadOf<E extends EventName> = z.output<Events[E]>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const CHANNEL_NAMES = Object.keys(contract.invoke) as ChannelName[];
export const EVENT_NAMES = Object.keys(contract.events) as EventName[];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.hasOwn(contract.invoke, value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(contract.events, value);
}

/** Electron IPC channel names, kept in one place for the preload and the shell. */
export const ipcChannel = (name: ChannelName): string => `onair:${name}`;
export const ipcEventChannel = (name: EventName): string => `onair:event:${name}`;

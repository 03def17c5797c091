import type { RoomInfo } from '../../../shared/twilio';
import { StudioError } from '../../../shared/errors';
import { roomNameSchema, type ROOM_TYPES } from '../../../shared/settings';
import type { StudioTwilio } from './client';

export type RoomType = (typeof ROOM_TYPES)[number];

/** The shared room-name rule (`roomNameSchema`); returns the trimmed name or throws `room.invalid`. */
export function checkRoomName(name: string): string {
  const parsed = roomNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new StudioError('room.invalid', 'The room name must be 1 to 128 letters, digits, spaces, "_", ".", "@" or "-", starting with a letter or digit.', {
      issues: [{ path: 'room', messageKey: 'validation.roomName' }],
    });
  }
  return parsed.data;
}

/**
 * The in-progress room with this unique name, created if there is none. When
 * another creator wins the race (53113), the room it made is used. The name is
 * checked first: a rejected name never reaches Twilio.
 */
export async function ensureRoom(twilio: StudioTwilio, name: string, type: RoomType = 'group'): Promise<RoomInfo> {
  const uniqueName = checkRoomName(name);
  const find = async () => {
    const rooms = await twilio.guard('video', () => twilio.rest.video.v1.rooms.list({ status: 'in-progress', uniqueName, limit: 1 }));
    return rooms[0];
  };
  const existing = await find();
  if (existing) return toInfo(existing, false);
  try {
    const created = await twilio.guard('video', () => twilio.rest.video.v1.rooms.create({ uniqueName, type }));
    return toInfo(created, true);
  } catch (error) {
    if (error instanceof StudioError && error.code === 'twilio.room_exists') {
      const winner = await find();
      if (winner) return toInfo(winner, false);
    }
    throw error;
  }
}

/** Twilio mode: ends one participant's connection to the room (the host removed that guest). */
export async function disconnectParticipant(twilio: StudioTwilio, roomName: string, participantSid: string): Promise<void> {
  const room = checkRoomName(roomName);
  await twilio.guard('video', () => twilio.rest.video.v1.rooms(room).participants(participantSid).update({ status: 'disconnected' }));
}

function toInfo(room: { sid: string; uniqueName: string; status: string; type: string }, created: boolean): RoomInfo {
  return { sid: room.sid, uniqueName: room.uniqueName, status: room.status, type: room.type, created };
}

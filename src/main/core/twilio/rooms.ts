import type { RoomInfo } from '../../../shared/domain';
import { StudioError } from '../../../shared/errors';
import type { StudioTwilio } from './client';

type RoomType = 'group' | 'group-small' | 'peer-to-peer' | 'go';

/**
 * The in-progress room with this unique name, created if there is none. When
 * another creator wins the race (53113), the room it made is used.
 */
export async function ensureRoom(twilio: StudioTwilio, uniqueName: string, type: RoomType = 'group'): Promise<RoomInfo> {
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

function toInfo(room: { sid: string; uniqueName: string; status: string; type: string }, created: boolean): RoomInfo {
  return { sid: room.sid, uniqueName: room.uniqueName, status: room.status, type: room.type, created };
}

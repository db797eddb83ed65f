import type { Round } from '../api/types.js';
import { timeText } from '../i18n/format.js';

type RoundRoom = Round['rooms'][number];

/** A room's ETA as a time of day, hours and minutes (`12:41`); undefined when there is none. */
export function etaTime(room: Pick<RoundRoom, 'etaMs'>): string | undefined {
  return room.etaMs == null ? undefined : timeText(room.etaMs, { hour: '2-digit', minute: '2-digit' });
}

/** The robot's next room of the running rounds: the one on board or planned for it, not delivered yet, expected first. */
export function nextRoomOf(rounds: Iterable<Round>, robot: string): RoundRoom | undefined {
  let next: RoundRoom | undefined;
  for (const round of rounds) {
    if (round.status !== 'running') continue;
    for (const room of round.rooms) {
      if (room.robot !== robot || room.etaMs == null || !['pending', 'loaded', 'enRoute'].includes(room.status)) continue;
      if (!next || room.etaMs < next.etaMs!) next = room;
    }
  }
  return next;
}

/**
 * A day of service at an isolation site, as a pure plan from a seed: which rooms are occupied,
 * when each meal and medicine round starts and by when its medicine is due, and when ad hoc
 * urgent medicine is asked for. Times are seconds after the day's midnight.
 */
import { seededRandom, shuffle } from '../../protocol/index.js';

export type ServiceKind = 'breakfast' | 'lunch' | 'dinner' | 'medicine';

/** One round of the day: its rooms go in one `POST /api/rounds` at `atS`. */
export interface DayService {
  /** `breakfast`, `medicine 1`, …: the name progress lines and the result use. */
  name: string;
  kind: ServiceKind;
  atS: number;
  rooms: string[];
  /** Medicine only: seconds after midnight by which every tray must be delivered. */
  dueS?: number;
}

/** Medicine for one room asked for during the day (a medic's call): sent as urgent into a running round, else as a round of its own. */
export interface UrgentMedicine {
  atS: number;
  room: string;
  dueS: number;
}

export interface DaySchedule {
  /** The occupied rooms: every meal goes to each of them. */
  occupied: string[];
  services: DayService[];
  urgent: UrgentMedicine[];
}

export interface DayScheduleOptions {
  /** Occupied rooms (of the site's). Default 150. */
  occupied?: number;
  /** Rooms on each medicine round (of the occupied). Default 30. */
  medicineRooms?: number;
  /** Minutes from a medicine round's start to its deadline. Default 90. */
  medicineDueMin?: number;
  /** How many ad hoc urgent medicines: drawn uniformly from this range. Default [3, 5]. */
  urgentCount?: [number, number];
  /** Day seconds within which urgent medicine is asked for. Default 07:00 to 23:00. */
  urgentWindowS?: [number, number];
  /** Minutes from an urgent request to its deadline. Default 45. */
  urgentDueMin?: number;
  /** Rounds to keep, in the day's order (a shortened day for tests). Default all. */
  only?: readonly string[];
}

const H = 3600;

/**
 * When the day's rounds start (seconds after midnight). Meals as a quarantine hotel serves them;
 * medicine at the usual four administration times of a QID prescription (morning, midday,
 * evening, bedtime), each round started well before the meals that follow it.
 */
export const DAY_TIMES: readonly { name: string; kind: ServiceKind; atS: number }[] = [
  { name: 'medicine 1', kind: 'medicine', atS: 6.5 * H },
  { name: 'breakfast', kind: 'breakfast', atS: 7.5 * H },
  { name: 'lunch', kind: 'lunch', atS: 11.5 * H },
  { name: 'medicine 2', kind: 'medicine', atS: 13.5 * H },
  { name: 'dinner', kind: 'dinner', atS: 17.5 * H },
  { name: 'medicine 3', kind: 'medicine', atS: 19.5 * H },
  { name: 'medicine 4', kind: 'medicine', atS: 22 * H },
];

const byNumber = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

/**
 * The day for `seed` over the site's `rooms`: the same seed gives the same day. Throws when the
 * site has fewer rooms than asked to be occupied.
 */
export function daySchedule(rooms: readonly string[], seed: number, options: DayScheduleOptions = {}): DaySchedule {
  const occupiedCount = options.occupied ?? 150;
  if (occupiedCount > rooms.length) throw new Error(`the site has ${rooms.length} rooms, asked for ${occupiedCount} occupied`);
  const medicineCount = Math.min(options.medicineRooms ?? 30, occupiedCount);
  const random = seededRandom(seed);
  const occupied = shuffle(rooms, random).slice(0, occupiedCount).sort(byNumber);
  const times = options.only ? DAY_TIMES.filter((t) => options.only!.includes(t.name)) : DAY_TIMES;
  const services = times.map((t): DayService => {
    if (t.kind !== 'medicine') return { ...t, rooms: occupied };
    return { ...t, rooms: shuffle(occupied, random).slice(0, medicineCount).sort(byNumber), dueS: t.atS + (options.medicineDueMin ?? 90) * 60 };
  });
  const [least, most] = options.urgentCount ?? [3, 5];
  const [from, until] = options.urgentWindowS ?? [7 * H, 23 * H];
  const count = least + Math.floor(random() * (most - least + 1));
  const urgent = Array.from({ length: count }, (): UrgentMedicine => {
    const atS = Math.round(from + random() * (until - from));
    return { atS, room: occupied[Math.floor(random() * occupied.length)]!, dueS: atS + (options.urgentDueMin ?? 45) * 60 };
  }).sort((a, b) => a.atS - b.atS);
  return { occupied, services, urgent };
}

/** `07:30` for 27 000 s after midnight (a day's clock; past 24 h it goes on counting). */
export function clockTime(s: number): string {
  const m = Math.floor(s / 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

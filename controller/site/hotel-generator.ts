import type { Lane, SiteInput, SiteNode } from '../../protocol/index.js';

/** Shape of a generated isolation hotel. */
export interface HotelOptions {
  name: string;
  /** Guest floors above the ground floor. */
  floors: number;
  /** Rooms per guest floor, half on each side of one corridor (rounded up to even). */
  roomsPerFloor: number;
  /** Lifts, spread along the corridor. */
  lifts: number;
  /** Chargers on the ground floor. */
  chargers: number;
}

const ROOM_PITCH_M = 4;
/** The hotel's disinfection station: a UV-C tunnel the robot stands in for 20 s. */
const HOTEL_DISINFECTION = { method: 'uv', durationS: 20 } as const;
const DOOR_OFFSET_M = 2.5;

/**
 * A parametric isolation hotel: a ground floor `G` whose corridor is buffer, with the loading
 * station and chargers (green) behind the disinfection station, so every robot back from a
 * floor is disinfected before it reaches them; guest floors `F1…` whose corridors and rooms are
 * red. Rooms are numbered floor then two digits (`101`…`824`); lift landings are buffer.
 * Single-width ways (`laneSchema.way`): the tunnel loading station — disinfection station —
 * corridor (`G-tunnel`), and each room's door spur (`spur-R101`); lift cars are one robot's
 * at a time through their lift sessions already.
 */
export function generateHotel(options: HotelOptions): SiteInput {
  const perSide = Math.ceil(options.roomsPerFloor / 2);
  const lengthM = perSide * ROOM_PITCH_M;
  const levels = ['G', ...Array.from({ length: options.floors }, (_, i) => `F${i + 1}`)];
  const nodes: SiteNode[] = [];
  const lanes: Lane[] = [];
  const lane = (from: string, to: string, way?: string) => lanes.push({ from, to, bidirectional: true, ...(way ? { way } : {}) });
  const liftXs = Array.from({ length: options.lifts }, (_, i) => (options.lifts === 1 ? -3 : -3 + (i * (lengthM + 6)) / (options.lifts - 1)));
  const liftId = (i: number) => String.fromCharCode(65 + i);

  for (const level of levels) {
    const guestFloor = level !== 'G';
    const corridorZone = guestFloor ? 'red' : 'buffer';
    // The corridor: a node in front of every pair of doors, plus one at each end by the lifts.
    const corridor: { id: string; x: number }[] = [];
    corridor.push({ id: `${level}-w`, x: 0 });
    for (let i = 0; i < perSide; i++) corridor.push({ id: `${level}-c${i}`, x: ROOM_PITCH_M * i + ROOM_PITCH_M / 2 });
    corridor.push({ id: `${level}-e`, x: lengthM });
    for (const c of corridor) nodes.push({ id: c.id, kind: 'corridor', level, x: c.x, y: 0, zone: corridorZone });
    corridor.slice(1).forEach((c, i) => lane(corridor[i]!.id, c.id));

    liftXs.forEach((x, i) => {
      const id = `${level}-lift${liftId(i)}`;
      nodes.push({ id, kind: 'liftLanding', level, x, y: 0, zone: 'buffer', lift: liftId(i) });
      const nearest = corridor.reduce((a, b) => (Math.abs(b.x - x) < Math.abs(a.x - x) ? b : a));
      lane(id, nearest.id);
    });

    if (guestFloor) {
      const floor = level.slice(1);
      for (let i = 0; i < options.roomsPerFloor; i++) {
        const side = i < perSide ? 1 : -1;
        const column = i % perSide;
        const room = `${floor}${String(i + 1).padStart(2, '0')}`;
        const c = corridor[column + 1]!;
        nodes.push({ id: `R${room}`, kind: 'room', level, x: c.x, y: side * DOOR_OFFSET_M, zone: 'red', room });
        // The door spur: one robot at a door at a time (it comes back out the way it went in).
        lane(`R${room}`, c.id, `spur-R${room}`);
      }
    } else {
      // The only way between the corridor and the green side is through the disinfection station.
      const middle = corridor[Math.floor(corridor.length / 2)]!;
      nodes.push({ id: 'G-disinfect', kind: 'disinfection', level, x: middle.x - 3, y: DOOR_OFFSET_M, zone: 'buffer', disinfection: HOTEL_DISINFECTION });
      nodes.push({ id: 'G-loading', kind: 'loading', level, x: middle.x, y: DOOR_OFFSET_M, zone: 'green' });
      // The tunnel through the station is single-width: one direction at a time, robots queue at either end.
      lane('G-disinfect', middle.id, 'G-tunnel');
      lane('G-loading', 'G-disinfect', 'G-tunnel');
      for (let i = 0; i < options.chargers; i++) {
        const id = `G-charger${i + 1}`;
        nodes.push({ id, kind: 'charger', level, x: middle.x + 2 + 1.5 * i, y: DOOR_OFFSET_M + 2, zone: 'green' });
        lane(id, 'G-loading');
      }
    }
  }

  return {
    name: options.name,
    levels: levels.map((name, i) => ({ name, elevationM: 3.2 * i })),
    nodes,
    lanes,
    lifts: liftXs.map((_, i) => ({ id: liftId(i), levels, doorS: 8, perFloorS: 3, enterS: 10 })),
    robotSpeedMps: 0.8,
  };
}

/** The demo site: 8 guest floors of 24 rooms, 2 lifts, 5 chargers. */
export const HOTEL_OPTIONS: HotelOptions = { name: 'hotel', floors: 8, roomsPerFloor: 24, lifts: 2, chargers: 5 };

import { oneAtATime, type CreateTripBody, type Random } from '../protocol/index.js';

/** What the auto medic needs to know about a robot. */
export interface IdleRobot {
  id: string;
  state: string;
  online: boolean;
}

/** Rooms waiting for a delivery, in the order they go out. */
export interface RoomSource {
  /** Up to `count` rooms; empty when nothing is left. */
  take(count: number): string[];
  /** Puts rooms of a refused trip back at the front. */
  giveBack(rooms: string[]): void;
}

/** A fixed list of rooms, served in order. */
export function roomList(rooms: string[]): RoomSource & { readonly left: number } {
  const queue = [...rooms];
  return {
    take: (count) => queue.splice(0, count),
    giveBack: (back) => void queue.unshift(...back),
    get left() {
      return queue.length;
    },
  };
}

/** Endless random rooms (the demo's lunch that never ends), a trip's rooms on one floor or two. */
export function endlessRooms(rooms: string[], random: Random): RoomSource {
  const back: string[] = [];
  return {
    take: (count) => {
      if (back.length) return back.splice(0, count);
      const start = Math.floor(random() * rooms.length);
      return Array.from({ length: count }, (_, i) => rooms[(start + i * (1 + Math.floor(random() * 3))) % rooms.length]!);
    },
    giveBack: (rooms) => void back.unshift(...rooms),
  };
}

export interface AutoMedicOptions {
  /** Robots as the controller sees them now. */
  robots: () => IdleRobot[];
  /** True when the controller already has a trip running on the robot. */
  busy: (robot: string) => boolean;
  rooms: RoomSource;
  trays: number;
  /** Sends a trip (an HTTP call or `app.inject`); resolves to true when accepted. */
  createTrip: (body: CreateTripBody) => Promise<boolean>;
}

/**
 * The simulated medic deciding what goes on each idle robot: fills its trays with the next
 * rooms and sends the trip, as a medic does by hand today. (Putting the trays on takes the
 * sim world's time per tray, inside the robot's loadTrays action.)
 */
export class AutoMedic {
  constructor(private readonly options: AutoMedicOptions) {}

  /** Sends a trip to every idle robot while rooms are left; call it on every fleet change. */
  readonly dispatch = oneAtATime(() => this.dispatchOnce());

  private async dispatchOnce(): Promise<void> {
    const { rooms, trays } = this.options;
    for (const robot of this.options.robots()) {
      if (!robot.online || robot.state !== 'idle' || this.options.busy(robot.id)) continue;
      const next = rooms.take(trays);
      if (next.length === 0) return;
      const accepted = await this.options.createTrip({ robot: robot.id, trays: next.map((room, i) => ({ tray: i + 1, room })) });
      if (!accepted) rooms.giveBack(next);
    }
  }
}

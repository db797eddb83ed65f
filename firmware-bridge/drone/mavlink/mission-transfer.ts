/**
 * The MAVLink mission protocol (https://mavlink.io/en/services/mission.html), ground-station
 * side, for every mission type (MISSION, FENCE, RALLY):
 *
 * - upload: MISSION_COUNT → the autopilot asks for each item with MISSION_REQUEST_INT or, as
 *   ArduCopter 4.6 does, the deprecated MISSION_REQUEST → we answer MISSION_ITEM_INT for either →
 *   MISSION_ACK. Requests may come in any order and repeat (the answer was lost); each is served.
 * - download: MISSION_REQUEST_LIST → MISSION_COUNT → MISSION_REQUEST_INT per item → MISSION_ITEM_INT
 *   → our MISSION_ACK.
 *
 * Timeouts and retries as the spec gives them: 1500 ms for the answer to COUNT/REQUEST_LIST and
 * the final ACK, 250 ms between items, the last message re-sent up to 5 times, then the transfer
 * fails. Failures (no answer, a NACK with its MAV_MISSION_RESULT) are returned as values.
 */
import { common } from 'node-mavlink';
import type { Clock, ClockTimer } from '../../../protocol/index.js';
import { message, type MavEndpoint, type Sender } from './endpoint.js';

/** Protocol timing. Defaults from the MAVLink mission protocol spec. */
export interface TransferTiming {
  /** Wait for the first answer (and the final ACK), ms. Default 1500. */
  timeoutMs: number;
  /** Wait for the next request after an item, ms. Default 250. */
  itemTimeoutMs: number;
  /** Re-sends of one message before giving up. Default 5. */
  retries: number;
}

export const MISSION_TIMING: TransferTiming = { timeoutMs: 1500, itemTimeoutMs: 250, retries: 5 };

/** Outcome of a transfer. */
export type TransferResult<T = void> = { ok: true; value: T } | { ok: false; reason: string };

/** An item to upload: a MISSION_ITEM_INT without the addressing fields (seq, target, mission type). */
export type MissionItem = Pick<common.MissionItemInt, 'frame' | 'command' | 'param1' | 'param2' | 'param3' | 'param4' | 'x' | 'y' | 'z'> & {
  autocontinue?: number;
};

interface TransferContext {
  endpoint: MavEndpoint;
  target: Sender;
  clock: Clock;
  missionType: common.MavMissionType;
  timing?: Partial<TransferTiming>;
}

/**
 * One exchange with re-sends: `resend` goes out again each time `waitMs` passes without
 * `progress()`; after `retries` re-sends the exchange fails with `what`.
 */
class Exchange<T> {
  private timer?: ClockTimer;
  private tries = 0;
  private settle?: (result: TransferResult<T>) => void;
  readonly done: Promise<TransferResult<T>>;
  private lastSend: () => void = () => {};
  private lastWaitMs = 0;
  private what = '';

  constructor(
    private readonly clock: Clock,
    private readonly retries: number,
    private readonly teardown: () => void,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  /** Sends and (re)arms the timer; a send for a new step resets the re-send count. */
  send(send: () => void, waitMs: number, what: string, newStep: boolean): void {
    if (newStep) this.tries = 0;
    this.lastSend = send;
    this.lastWaitMs = waitMs;
    this.what = what;
    send();
    this.arm();
  }

  finish(result: TransferResult<T>): void {
    if (!this.settle) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    const settle = this.settle;
    this.settle = undefined;
    this.teardown();
    settle(result);
  }

  private arm(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      if (this.tries >= this.retries) return this.finish({ ok: false, reason: `no answer to ${this.what} after ${this.retries} retries` });
      this.tries++;
      this.lastSend();
      this.arm();
    }, this.lastWaitMs);
  }
}

function fromTarget(from: Sender, target: Sender): boolean {
  return from.sysid === target.sysid && (target.compid === 0 || from.compid === target.compid);
}

const resultName = (type: number) => common.MavMissionResult[type] ?? String(type);
const typeName = (type: number) => common.MavMissionType[type] ?? String(type);

/** Uploads `items` as the whole mission of `missionType`; resolves once the autopilot ACKs it. */
export function uploadMission(ctx: TransferContext, items: readonly MissionItem[]): Promise<TransferResult> {
  const timing = { ...MISSION_TIMING, ...ctx.timing };
  const { endpoint, target, missionType } = ctx;
  const offs: Array<() => void> = [];
  const ex = new Exchange<void>(ctx.clock, timing.retries, () => offs.forEach((off) => off()));
  const count = items.length;
  const requested = new Set<number>();

  const sendItem = (seq: number) => {
    const item = items[seq]!;
    endpoint.send(
      message(common.MissionItemInt, {
        targetSystem: target.sysid,
        targetComponent: target.compid,
        seq,
        current: 0,
        autocontinue: 1,
        missionType,
        ...item,
      }),
    );
  };
  const onRequest = (m: common.MissionRequest | common.MissionRequestInt, from: Sender) => {
    if (!fromTarget(from, target) || m.missionType !== missionType) return;
    // A request beyond the list is the autopilot's error; it will time out and ask again or NACK.
    if (m.seq >= count) return;
    const first = !requested.has(m.seq);
    requested.add(m.seq);
    const last = requested.size === count;
    ex.send(() => sendItem(m.seq), last ? timing.timeoutMs : timing.itemTimeoutMs, `MISSION_ITEM_INT ${m.seq}`, first);
  };
  offs.push(endpoint.on(common.MissionRequestInt, onRequest));
  offs.push(endpoint.on(common.MissionRequest, onRequest));
  offs.push(
    endpoint.on(common.MissionAck, (m, from) => {
      if (!fromTarget(from, target) || m.missionType !== missionType) return;
      if (m.type === common.MavMissionResult.ACCEPTED) {
        if (requested.size < count) return ex.finish({ ok: false, reason: `${typeName(missionType)} upload accepted after ${requested.size} of ${count} items` });
        return ex.finish({ ok: true, value: undefined });
      }
      ex.finish({ ok: false, reason: `${typeName(missionType)} upload refused: ${resultName(m.type)}` });
    }),
  );
  ex.send(
    () => endpoint.send(message(common.MissionCount, { targetSystem: target.sysid, targetComponent: target.compid, count, missionType, opaqueId: 0 })),
    timing.timeoutMs,
    'MISSION_COUNT',
    true,
  );
  return ex.done;
}

/** Reads the mission of `missionType` back from the autopilot. */
export function downloadMission(ctx: TransferContext): Promise<TransferResult<common.MissionItemInt[]>> {
  const timing = { ...MISSION_TIMING, ...ctx.timing };
  const { endpoint, target, missionType } = ctx;
  const offs: Array<() => void> = [];
  const ex = new Exchange<common.MissionItemInt[]>(ctx.clock, timing.retries, () => offs.forEach((off) => off()));
  const items: common.MissionItemInt[] = [];
  let count: number | undefined;
  const addressed = { targetSystem: target.sysid, targetComponent: target.compid, missionType };

  const request = (seq: number) => ex.send(() => endpoint.send(message(common.MissionRequestInt, { ...addressed, seq })), timing.timeoutMs, `MISSION_REQUEST_INT ${seq}`, true);
  const finish = () => {
    endpoint.send(message(common.MissionAck, { ...addressed, type: common.MavMissionResult.ACCEPTED, opaqueId: 0 }));
    ex.finish({ ok: true, value: items });
  };
  offs.push(
    endpoint.on(common.MissionCount, (m, from) => {
      if (!fromTarget(from, target) || m.missionType !== missionType || count !== undefined) return;
      count = m.count;
      if (count === 0) return finish();
      request(0);
    }),
  );
  offs.push(
    endpoint.on(common.MissionItemInt, (m, from) => {
      if (!fromTarget(from, target) || m.missionType !== missionType || count === undefined || m.seq !== items.length) return;
      items.push(m);
      if (items.length === count) finish();
      else request(items.length);
    }),
  );
  offs.push(
    endpoint.on(common.MissionAck, (m, from) => {
      if (!fromTarget(from, target) || m.missionType !== missionType || m.type === common.MavMissionResult.ACCEPTED) return;
      ex.finish({ ok: false, reason: `${typeName(missionType)} download refused: ${resultName(m.type)}` });
    }),
  );
  ex.send(() => endpoint.send(message(common.MissionRequestList, addressed)), timing.timeoutMs, 'MISSION_REQUEST_LIST', true);
  return ex.done;
}

/**
 * The MAVLink command protocol (COMMAND_LONG → COMMAND_ACK; https://mavlink.io/en/services/command.html)
 * and the parameter protocol's write (PARAM_SET → PARAM_VALUE read-back;
 * https://mavlink.io/en/services/parameter.html), each with the spec's re-sends: a command is
 * re-sent with `confirmation` counting up, a PARAM_SET re-sent until the value read back matches.
 * Refusals are values, carrying the autopilot's reason when it gave one in STATUSTEXT
 * ("PreArm: Need Position Estimate").
 */
import { common } from 'node-mavlink';
import type { Clock } from '../../../protocol/index.js';
import { message, type MavEndpoint, type Sender } from './endpoint.js';
import { MISSION_TIMING, type TransferResult } from './mission-transfer.js';

interface Context {
  endpoint: MavEndpoint;
  target: Sender;
  clock: Clock;
  /** Wait per try, ms. Default 1500. */
  timeoutMs?: number;
  /** Re-sends. Default 5. */
  retries?: number;
  /** The autopilot's latest STATUSTEXT, for the reason of a refusal. */
  lastStatusText?: () => string | undefined;
}

/** Seven COMMAND_LONG parameters (unused ones 0). */
export type CommandParams = [number?, number?, number?, number?, number?, number?, number?];

/** Sends a COMMAND_LONG and waits for its COMMAND_ACK; ACCEPTED is ok, any other result a reason. */
export async function sendCommand(ctx: Context, command: common.MavCmd, params: CommandParams = []): Promise<TransferResult> {
  const timeoutMs = ctx.timeoutMs ?? MISSION_TIMING.timeoutMs;
  const retries = ctx.retries ?? MISSION_TIMING.retries;
  const name = common.MavCmd[command] ?? String(command);
  for (let confirmation = 0; confirmation <= retries; confirmation++) {
    const ack = await new Promise<common.CommandAck | undefined>((resolve) => {
      let timer = ctx.clock.setTimeout(() => done(undefined), timeoutMs);
      const off = ctx.endpoint.on(common.CommandAck, (m, from) => {
        if (from.sysid !== ctx.target.sysid || m.command !== command) return;
        // IN_PROGRESS: the autopilot is working on it; the final ACK follows.
        if (m.result === common.MavResult.IN_PROGRESS) {
          ctx.clock.clearTimeout(timer);
          timer = ctx.clock.setTimeout(() => done(undefined), timeoutMs);
          return;
        }
        done(m);
      });
      function done(m: common.CommandAck | undefined) {
        ctx.clock.clearTimeout(timer);
        off();
        resolve(m);
      }
      const p = params;
      ctx.endpoint.send(
        message(common.CommandLong, {
          targetSystem: ctx.target.sysid,
          targetComponent: ctx.target.compid,
          command,
          confirmation,
          _param1: p[0] ?? 0,
          _param2: p[1] ?? 0,
          _param3: p[2] ?? 0,
          _param4: p[3] ?? 0,
          _param5: p[4] ?? 0,
          _param6: p[5] ?? 0,
          _param7: p[6] ?? 0,
        }),
      );
    });
    if (!ack) continue;
    if (ack.result === common.MavResult.ACCEPTED) return { ok: true, value: undefined };
    const said = ctx.lastStatusText?.();
    return { ok: false, reason: `${name} ${common.MavResult[ack.result] ?? ack.result}${said ? `: ${said}` : ''}` };
  }
  return { ok: false, reason: `no COMMAND_ACK for ${name} after ${retries} retries` };
}

/**
 * Sets a parameter and reads it back (the PARAM_VALUE the autopilot answers with); re-sends until
 * the value matches (float32 compare) or the retries are spent.
 */
export async function setParam(ctx: Context, id: string, value: number, type = common.MavParamType.REAL32): Promise<TransferResult> {
  const timeoutMs = ctx.timeoutMs ?? MISSION_TIMING.timeoutMs;
  const retries = ctx.retries ?? MISSION_TIMING.retries;
  let seen: number | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    seen = await new Promise<number | undefined>((resolve) => {
      const timer = ctx.clock.setTimeout(() => done(undefined), timeoutMs);
      const off = ctx.endpoint.on(common.ParamValue, (m, from) => {
        if (from.sysid !== ctx.target.sysid || m.paramId !== id) return;
        done(m.paramValue);
      });
      function done(v: number | undefined) {
        ctx.clock.clearTimeout(timer);
        off();
        resolve(v);
      }
      ctx.endpoint.send(message(common.ParamSet, { targetSystem: ctx.target.sysid, targetComponent: ctx.target.compid, paramId: id, paramValue: value, paramType: type }));
    });
    if (seen !== undefined && Math.fround(seen) === Math.fround(value)) return { ok: true, value: undefined };
    // A different value read back: the autopilot clamped or refused it; a re-send will not change that.
    if (seen !== undefined) return { ok: false, reason: `${id} reads back ${seen}, not ${value}` };
  }
  return { ok: false, reason: `no PARAM_VALUE for ${id} after ${retries} retries` };
}

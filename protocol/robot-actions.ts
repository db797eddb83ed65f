import { z } from 'zod';
import type { Action, ActionParameter } from './vda5050/common.js';

/** Tray number on a delivery robot, 1 = top. */
export const trayNumberSchema = z.number().int().min(1).max(4);

/** VDA loadPosition of a tray: `tray1` … `tray4`. */
export const trayLoadPosition = (tray: number): string => `tray${tray}`;

/** Inverse of {@link trayLoadPosition}; `undefined` for anything else. */
export function trayFromLoadPosition(loadPosition: string | undefined): number | undefined {
  const match = /^tray([1-4])$/.exec(loadPosition ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Languages a robot announces in and the dashboard shows. */
export const languageSchema = z.enum(['zh', 'en']);
export type Language = z.infer<typeof languageSchema>;

export const roomSchema = z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'a room number: letters, digits and dashes');

/**
 * How a disinfection station disinfects a robot standing in it: `uv` (a UV-C lamp or tunnel),
 * `spray` (a disinfectant spray arch), `wait` (a person wipes it down; the robot waits).
 */
export const disinfectionMethodSchema = z.enum(['uv', 'spray', 'wait']);
export type DisinfectionMethod = z.infer<typeof disinfectionMethodSchema>;

/**
 * isofleet's custom VDA actionTypes and their parameters. Each parameter object maps
 * one-to-one onto `actionParameters` (key = property name).
 */
export const robotActionParameterSchemas = {
  /** At the loading station: the medic puts these trays on and confirms (touchscreen or controller). */
  loadTrays: z.object({
    trays: z.array(z.object({ tray: trayNumberSchema, room: roomSchema, item: z.string().max(64).optional() })).min(1),
  }),
  /** At a door: call the resident in `language` (default: the robot's own setting) ("Guest 6622, your meal is on the first tray, please collect"). */
  announce: z.object({ room: roomSchema, tray: trayNumberSchema, language: languageSchema.optional() }),
  /** At a door: open the tray and wait until it is emptied or the timeout passes. */
  waitForPickup: z.object({ tray: trayNumberSchema, timeoutS: z.number().positive().max(3600) }),
  /**
   * On a lift edge (the edge between two landings of one car): the ride itself, a lift session
   * in Open-RMF's words. `lift` is the car's id, `fromLevel`/`toLevel` the landings' levels (the
   * `mapId` of the edge's start and end node). The robot stands at the start landing with the
   * action INITIALIZING until the controller grants it the car (`liftGranted` naming this
   * actionId), RUNNING while it calls the car, boards, rides and leaves, FINISHED once it stands
   * on the far landing; the car is then free for the next robot.
   */
  liftRide: z.object({ lift: z.string().min(1).max(64), fromLevel: z.string().min(1).max(64), toLevel: z.string().min(1).max(64) }),
  /**
   * At a disinfection station, on the way out of the red zone: the robot stands in the station
   * for `durationS` seconds while it is disinfected by `method` (see `disinfectionMethodSchema`),
   * then FINISHED; FAILED (or the order failing) when it could not be done, and the robot is
   * still contaminated. Sent HARD: the robot does not move on until it is done.
   */
  disinfect: z.object({ method: disinfectionMethodSchema, durationS: z.number().positive().max(3600) }),
  /** Instant action: the controller grants the car to the `liftRide` action whose actionId is `session`. */
  liftGranted: z.object({ session: z.string().min(1).max(256) }),
  /** Instant action: the medic confirmed the trays as loaded on the dashboard (the robot's own screen needs none). */
  confirmLoaded: z.object({ trays: z.array(trayNumberSchema).min(1) }),
  /** Standard VDA instant actions isofleet uses; they take no parameters. */
  cancelOrder: z.object({}),
  stateRequest: z.object({}),
  startPause: z.object({}),
  stopPause: z.object({}),
  /** Publish the factsheet again (VDA 5050 2.0 and 2.1). */
  factsheetRequest: z.object({}),
  /**
   * Standard VDA actions (2.1 §6.8.1; their states §6.8.2), instant or at a charger's node: start charging (FINISHED
   * once the robot reports `batteryState.charging` true, FAILED when it is not on a charger)
   * and stop it (FINISHED once it reports false), before it takes a new order.
   */
  startCharging: z.object({}),
  stopCharging: z.object({}),
} as const;

export type RobotActionType = keyof typeof robotActionParameterSchemas;
export type RobotActionParameters<T extends RobotActionType> = z.infer<(typeof robotActionParameterSchemas)[T]>;

/** resultDescription of a finished or failed `waitForPickup`. */
export const PICKUP_RESULT = { collected: 'collected', notCollected: 'notCollected' } as const;

/** Builds a VDA action of one of our types from a typed parameter object. */
export function robotAction<T extends RobotActionType>(actionType: T, actionId: string, parameters: RobotActionParameters<T>, blockingType: Action['blockingType'] = 'HARD'): Action {
  const actionParameters: ActionParameter[] = Object.entries(parameters as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key, value: value as ActionParameter['value'] }));
  return { actionType, actionId, blockingType, ...(actionParameters.length ? { actionParameters } : {}) };
}

/** Reads the typed parameters of one of our actions; `undefined` parameters list counts as `{}`. */
export function robotActionParameters<T extends RobotActionType>(actionType: T, action: Action) {
  const object = Object.fromEntries((action.actionParameters ?? []).map((p) => [p.key, p.value]));
  return robotActionParameterSchemas[actionType].safeParse(object) as z.ZodSafeParseResult<RobotActionParameters<T>>;
}

export function isRobotActionType(actionType: string): actionType is RobotActionType {
  return Object.hasOwn(robotActionParameterSchemas, actionType);
}

/**
 * A charge the robot does not know yet. VDA 5050 requires `batteryState.batteryCharge` (a number)
 * in every state, so a bridge whose robot has not measured its charge (a Nav2 robot before its
 * first `battery_state`, or one publishing NaN) sends 0 there and says so with an `information`
 * entry of this type; readers take the charge as unknown, not empty.
 */
import type { State } from './state.js';

export const BATTERY_UNKNOWN_INFO_TYPE = 'batteryUnknown';

/** The `information` entry a bridge sends while its robot's charge is unknown. */
export const batteryUnknownInfo = {
  infoType: BATTERY_UNKNOWN_INFO_TYPE,
  infoDescription: 'the robot has not reported its charge yet; batteryCharge 0 means unknown',
  infoLevel: 'INFO',
} as const;

/** The robot's charge in %, or null when its state says it does not know it (see {@link BATTERY_UNKNOWN_INFO_TYPE}). */
export function batteryChargeOf(state: Pick<State, 'batteryState' | 'information'>): number | null {
  return state.information?.some((i) => i.infoType === BATTERY_UNKNOWN_INFO_TYPE) ? null : state.batteryState.batteryCharge;
}

/**
 * Server enums in the current language. Each key is built from the protocol's type, so the
 * compiler refuses a value of the enum that has no message; a value the dashboard does not know
 * yet (a newer server) shows as the server sent it rather than as nothing.
 */
import type { DroneMode, MissionDrone, Role } from '../../../protocol/index.js';
import { en } from './messages.js';
import { t, type MessageKey } from './i18n.js';

function known(key: MessageKey, raw: string): string {
  return key in en ? t(key) : raw;
}

/** A user's role: viewer, medic, operator, admin. */
export function roleText(role: Role): string {
  return known(`role.${role}`, role);
}

/** What a drone is doing (its telemetry `mode`): landed, taking off, transit, … */
export function droneModeText(mode: DroneMode): string {
  return known(`drone.mode.${mode}`, mode);
}

/** Where a drone is in its mission's run: waiting, servicing, flying, … */
export function droneRunText(state: MissionDrone['state']): string {
  return known(`drone.run.${state}`, state);
}

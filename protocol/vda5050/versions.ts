/**
 * The VDA 5050 versions isofleet serves: 2.1.0 (its own) and 2.0.0 (many AGVs and masters in the
 * field). Messages are parsed with the same zod schemas for both (2.0.0 inbound messages are a
 * subset of 2.1.0 ones); what differs is produced here, per the peer's version.
 *
 * Differences between 2.0.0 and 2.1.0, read from the official JSON schemas (VDA5050/VDA5050, tag
 * 2.1.0 = `../shared/data/vda5050-2.1.0/`, branch release/2.0.0 for 2.0.0: the 2.0.0 schemas
 * with their published fixes; the 2.0.0 tag's own instantActions schema still said `actionName`)
 * and the spec text of each:
 *
 * | message | field | 2.0.0 | 2.1.0 |
 * | --- | --- | --- | --- |
 * | order | `edges[].corridor` (`leftWidth`, `rightWidth`, `corridorRefPoint`) | absent | optional |
 * | order | `edges[].orientationType` | enum GLOBAL / TANGENTIAL | string (same values in the text) |
 * | order | `nodePosition.allowedDeviationTheta` | minimum -π (a typo) | minimum 0 |
 * | order, instantActions | `actionParameters[].value` | array, boolean, number, string, object | same |
 * | state | `maps[]` (`mapId`, `mapVersion`, `mapDescription`, `mapStatus`) | absent | optional |
 * | state | `errors[].errorHint` | absent | optional |
 * | state | `batteryState.batteryHealth`, `batteryState.reach` | integer | number (health 0–100, reach ≥ 0) |
 * | state | `actionStates[].actionStatus` | also `PAUSED` (release branch only) | WAITING … FAILED |
 * | state | `nodeStates[].nodePosition` | also allowedDeviationXY/Theta, mapDescription | x, y, theta, mapId |
 * | state | `edgeStates[].trajectory.degree` | optional number | required integer |
 * | factsheet | `physicalParameters.heightMin` | required | optional |
 * | factsheet | `localizationParameters` | optional object | absent |
 * | factsheet | `vehicleConfig` (`versions`, `network`) | absent | optional |
 * | factsheet | `headerId`, `timestamp` | required | optional |
 * | factsheet | `typeSpecification.localizationTypes/navigationTypes` | free strings | enums |
 * | connection, visualization | — | identical | identical |
 *
 * The spec text of 2.1.0 adds the map actions (`downloadMap`, `enableMap`, `deleteMap`) and map
 * states, corridors, `errorHint` and `vehicleConfig`; `factsheetRequest` exists in both. It also
 * tightens when a new order is accepted (Figure 8: 2.0.0 refuses one while `actionStates` are
 * not all ended *and* node and edge states remain; 2.1.0 while either holds).
 *
 * Field quirk: vda-5050-lib 1.4.0 (the npm release, 2.0.0) sends instant actions under the key
 * `instantActions` instead of `actions` (fixed in its later releases); {@link readInstantActionsKey}
 * accepts it.
 */
import { VDA_VERSION } from './common.js';
import type { VdaTopic } from './topics.js';

/** The versions isofleet answers in; a peer's patch level does not matter (2.1.x is 2.1.0). */
export const VDA_VERSIONS = ['2.0.0', '2.1.0'] as const;
export type VdaVersion = (typeof VDA_VERSIONS)[number];

/** Our own default. */
export const DEFAULT_VDA_VERSION: VdaVersion = VDA_VERSION;

/** A header `version` read: the version to answer in, or why it is refused. */
export type VersionCheck = { ok: true; version: VdaVersion } | { ok: false; problem: string };

/**
 * Reads a message header's `version`: `2.0.x` (and the bare `2.0` some 2.0 clients send) is
 * 2.0.0, `2.1.x` is 2.1.0, anything else is refused with a problem naming the value and the
 * versions served.
 */
export function vdaVersionOf(version: unknown): VersionCheck {
  if (typeof version === 'string') {
    const match = /^2\.([01])(?:\.\d+)?$/.exec(version);
    if (match) return { ok: true, version: match[1] === '0' ? '2.0.0' : '2.1.0' };
  }
  return { ok: false, problem: `version: ${JSON.stringify(version)} is not served; this device speaks VDA 5050 ${VDA_VERSIONS.join(' and ')}` };
}

/** The header `version` of a raw (not yet validated) message, checked. */
export function messageVersion(message: unknown): VersionCheck {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { ok: false, problem: 'not a JSON object' };
  return vdaVersionOf((message as { version?: unknown }).version);
}

/**
 * vda-5050-lib 1.4.0 sends instant actions as `{…header, instantActions: [...]}`. Returns the
 * message with the array under `actions`, and whether the quirk was met, so the caller can log
 * it once per peer. A message with `actions` is returned unchanged.
 */
export function readInstantActionsKey(message: unknown): { message: unknown; quirk: boolean } {
  if (typeof message !== 'object' || message === null) return { message, quirk: false };
  const { instantActions, ...rest } = message as { instantActions?: unknown; actions?: unknown };
  if (rest.actions !== undefined || !Array.isArray(instantActions)) return { message, quirk: false };
  return { message: { ...rest, actions: instantActions }, quirk: true };
}

type Json = Record<string, unknown>;

/**
 * A message we produced in our own 2.1.0 form, turned into `version`'s form (header `version`
 * included). 2.1.0 returns the message as it is apart from the header; 2.0.0 drops what 2.0.0
 * does not have (`maps`, `errorHint`, `vehicleConfig`, `corridor`), rounds the integer battery
 * fields and fills `heightMin` (a fixed-height robot: the maximum).
 */
export function toVdaVersion<T extends object>(topic: VdaTopic, message: T, version: VdaVersion): T {
  if (version === '2.1.0') return { ...message, version };
  const m = { ...(message as Json), version } as Json;
  switch (topic) {
    case 'state': {
      delete m.maps;
      if (Array.isArray(m.errors)) m.errors = m.errors.map(({ errorHint: _, ...e }: Json) => e);
      const battery = m.batteryState as Json | undefined;
      if (battery) {
        m.batteryState = {
          ...battery,
          ...(typeof battery.batteryHealth === 'number' ? { batteryHealth: Math.round(battery.batteryHealth) } : {}),
          ...(typeof battery.reach === 'number' ? { reach: Math.floor(battery.reach) } : {}),
        };
      }
      break;
    }
    case 'factsheet': {
      delete m.vehicleConfig;
      const physical = m.physicalParameters as Json | undefined;
      if (physical && physical.heightMin === undefined) m.physicalParameters = { ...physical, heightMin: physical.heightMax };
      break;
    }
    case 'order':
      if (Array.isArray(m.edges)) m.edges = m.edges.map(({ corridor: _, ...e }: Json) => e);
      break;
    default:
  }
  return m as T;
}

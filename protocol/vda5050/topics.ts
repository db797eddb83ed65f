/**
 * VDA 5050 topics: `{interfaceName}/v2/{manufacturer}/{serialNumber}/{topic}`, the interface name
 * `uagv` without a site and `uagv-{site}` with one (see `vdaInterfaceName`).
 */
import { vdaInterfaceName } from '../site-id.js';

export const VDA_TOPICS = ['order', 'instantActions', 'state', 'visualization', 'connection', 'factsheet'] as const;
export type VdaTopic = (typeof VDA_TOPICS)[number];

const MAJOR_VERSION = 'v2';

/** Identifies one vehicle on the broker. */
export interface VehicleId {
  manufacturer: string;
  serialNumber: string;
}

/** Topic of one vehicle at `site`; pass `'+'` for either id part to build a subscription filter. */
export function vdaTopic(vehicle: VehicleId, topic: VdaTopic, site?: string): string {
  for (const part of [vehicle.manufacturer, vehicle.serialNumber]) {
    if (part !== '+' && /[/#+]/.test(part)) throw new Error(`'${part}' cannot be part of an MQTT topic`);
  }
  return `${vdaInterfaceName(site)}/${MAJOR_VERSION}/${vehicle.manufacturer}/${vehicle.serialNumber}/${topic}`;
}

/** Splits a VDA topic of `site`; `undefined` when it is not one (another site's included). */
export function parseVdaTopic(topic: string, site?: string): (VehicleId & { topic: VdaTopic }) | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== vdaInterfaceName(site) || parts[1] !== MAJOR_VERSION) return undefined;
  const [, , manufacturer, serialNumber, name] = parts as [string, string, string, string, string];
  if (!manufacturer || !serialNumber || !(VDA_TOPICS as readonly string[]).includes(name)) return undefined;
  return { manufacturer, serialNumber, topic: name as VdaTopic };
}

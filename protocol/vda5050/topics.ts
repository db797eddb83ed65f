/** VDA 5050 topics: `uagv/v2/{manufacturer}/{serialNumber}/{topic}`. */
export const VDA_TOPICS = ['order', 'instantActions', 'state', 'visualization', 'connection', 'factsheet'] as const;
export type VdaTopic = (typeof VDA_TOPICS)[number];

const INTERFACE = 'uagv';
const MAJOR_VERSION = 'v2';

/** Identifies one vehicle on the broker. */
export interface VehicleId {
  manufacturer: string;
  serialNumber: string;
}

/** Topic of one vehicle; pass `'+'` for either id part to build a subscription filter. */
export function vdaTopic(vehicle: VehicleId, topic: VdaTopic): string {
  for (const part of [vehicle.manufacturer, vehicle.serialNumber]) {
    if (part !== '+' && /[/#+]/.test(part)) throw new Error(`'${part}' cannot be part of an MQTT topic`);
  }
  return `${INTERFACE}/${MAJOR_VERSION}/${vehicle.manufacturer}/${vehicle.serialNumber}/${topic}`;
}

/** Splits a VDA topic; `undefined` when it is not one. */
export function parseVdaTopic(topic: string): (VehicleId & { topic: VdaTopic }) | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== INTERFACE || parts[1] !== MAJOR_VERSION) return undefined;
  const [, , manufacturer, serialNumber, name] = parts as [string, string, string, string, string];
  if (!manufacturer || !serialNumber || !(VDA_TOPICS as readonly string[]).includes(name)) return undefined;
  return { manufacturer, serialNumber, topic: name as VdaTopic };
}

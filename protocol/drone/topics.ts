/** Drone topics: `isofleet/v1/drones/{droneId}/{topic}` (no MQTT standard exists for drones; same style as VDA 5050). */
export const DRONE_TOPICS = ['mission', 'command', 'telemetry', 'connection'] as const;
/** One of the four drone topics. */
export type DroneTopic = (typeof DRONE_TOPICS)[number];

const PREFIX = 'isofleet/v1/drones';

/** Topic of one drone; pass `'+'` as the id to build a subscription filter. */
export function droneTopic(droneId: string, topic: DroneTopic): string {
  if (droneId !== '+' && (droneId === '' || /[/#+]/.test(droneId))) throw new Error(`'${droneId}' cannot be a drone id in an MQTT topic`);
  return `${PREFIX}/${droneId}/${topic}`;
}

/** Splits a drone topic; `undefined` when it is not one. */
export function parseDroneTopic(topic: string): { droneId: string; topic: DroneTopic } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}/${parts[2]}` !== PREFIX) return undefined;
  const [, , , droneId, name] = parts as [string, string, string, string, string];
  if (!droneId || !(DRONE_TOPICS as readonly string[]).includes(name)) return undefined;
  return { droneId, topic: name as DroneTopic };
}

/**
 * Drone topics: `isofleet/v1/drones/{droneId}/{topic}`, `isofleet-{site}/v1/drones/…` at a site
 * (see `isofleetInterfaceName`). No MQTT standard exists for drones; same style as VDA 5050.
 */
import { isofleetInterfaceName } from '../site-id.js';

export const DRONE_TOPICS = ['mission', 'command', 'telemetry', 'connection'] as const;
/** One of the four drone topics. */
export type DroneTopic = (typeof DRONE_TOPICS)[number];

const prefix = (site?: string) => `${isofleetInterfaceName(site)}/v1/drones`;

/** Topic of one drone at `site`; pass `'+'` as the id to build a subscription filter. */
export function droneTopic(droneId: string, topic: DroneTopic, site?: string): string {
  if (droneId !== '+' && (droneId === '' || /[/#+]/.test(droneId))) throw new Error(`'${droneId}' cannot be a drone id in an MQTT topic`);
  return `${prefix(site)}/${droneId}/${topic}`;
}

/** Splits a drone topic of `site`; `undefined` when it is not one (another site's included). */
export function parseDroneTopic(topic: string, site?: string): { droneId: string; topic: DroneTopic } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}/${parts[2]}` !== prefix(site)) return undefined;
  const [, , , droneId, name] = parts as [string, string, string, string, string];
  if (!droneId || !(DRONE_TOPICS as readonly string[]).includes(name)) return undefined;
  return { droneId, topic: name as DroneTopic };
}

/**
 * Door contact sensors at rooms (as isolation sites fit to home-observation doors): one MQTT topic
 * per room door, `isofleet/v1/sensors/doors/{room}` (`isofleet-{site}/v1/…` at a site), published by that door's sensor only (the
 * broker's ACL, see `deviceTopics`). No MQTT standard exists for building sensors; same style as
 * the drones' topics.
 */
import { z } from 'zod';
import { roomSchema } from '../robot-actions.js';
import { isofleetInterfaceName } from '../site-id.js';

const prefix = (site?: string) => `${isofleetInterfaceName(site)}/v1/sensors/doors`;

/** Whether `topic` is under the door sensors' topics of `site` (a room door topic or a malformed one). */
export const isDoorSensorTopic = (topic: string, site?: string): boolean => topic.startsWith(`${prefix(site)}/`);

/** Topic of one room's door sensor at `site`; pass `'+'` as the room to build the subscription filter. */
export function doorSensorTopic(room: string, site?: string): string {
  if (room !== '+' && !roomSchema.safeParse(room).success) throw new Error(`'${room}' cannot be a room in a door sensor topic`);
  return `${prefix(site)}/${room}`;
}

/** The room of a door sensor topic of `site`; `undefined` when it is not one (or the room is malformed). */
export function parseDoorSensorTopic(topic: string, site?: string): string | undefined {
  if (!isDoorSensorTopic(topic, site)) return undefined;
  const room = topic.slice(prefix(site).length + 1);
  return roomSchema.safeParse(room).success ? room : undefined;
}

/**
 * A door sensor's MQTT username: `sensors/doors/{room}`. Two `/`, so it is told apart from a
 * robot's id (one `/`) and a drone's (none) by its shape alone; the room in it is the one topic
 * the sensor may publish.
 */
export const doorSensorDeviceIdSchema = z
  .string()
  .max(128)
  .regex(/^sensors\/doors\/[A-Za-z0-9-]{1,16}$/, 'sensors/doors/ROOM');

/** The device id of the sensor at `room`'s door. */
export const doorSensorDeviceId = (room: string): string => `sensors/doors/${room}`;

/** The room of a door sensor's device id. */
export const roomOfDoorSensor = (deviceId: string): string => deviceId.slice('sensors/doors/'.length);

/**
 * What a door sensor publishes on every change (and may repeat as a heartbeat): whether the door
 * is open now. `timestamp` is ISO 8601 with a zone, when the sensor saw it; `sensorId` the
 * hardware's own id (serial or MAC), for the maintenance log.
 */
export const doorSensorMessageSchema = z.object({
  timestamp: z.iso.datetime({ offset: true }),
  open: z.boolean(),
  sensorId: z.string().min(1).max(64),
});
/** A door sensor message. */
export type DoorSensorMessage = z.infer<typeof doorSensorMessageSchema>;

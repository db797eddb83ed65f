import type { MqttClient } from 'mqtt';
import { connectMqtt, type MqttCredentials } from '../common/index.js';
import { doorSensorDeviceId, doorSensorMessageSchema, doorSensorTopic, sleep, assertOutbound, type DoorSensorMessage } from '../protocol/index.js';
import type { SimWorld } from './world.js';

export interface SimDoorSensorsOptions {
  mqttUrl: string;
  world: SimWorld;
  /** The rooms fitted with a sensor. */
  rooms: readonly string[];
  /** The broker login of each sensor by its device id (`sensors/doors/{room}`), when the broker asks. */
  credentials?: (deviceId: string) => MqttCredentials;
  /** Seconds the resident has the door open before taking the tray. Default 3. */
  openBeforeS?: number;
  /** Seconds the door stays open after the tray is taken. Default 4. */
  openAfterS?: number;
}

/** The simulated sensors: `opens` counts the opens published. */
export interface SimDoorSensors {
  readonly opens: number;
  stop(): Promise<void>;
}

/**
 * A contact sensor on each of `rooms`' doors, each its own MQTT device (`sensors/doors/{room}`,
 * its own login, so the broker's ACL applies as to a real one). When a robot calls a room's
 * resident (`SimWorld.onResidentCalled`), the resident opens the door `openBeforeS` before taking
 * the tray and closes it `openAfterS` after; a resident who does not come never opens it, and one
 * who comes after the robot left opens it all the same. Messages are not retained: a sensor
 * reports changes. Times are on the world's clock. Connects every sensor before it resolves (a
 * connection opened mid-run would be a churn the virtual clock must wait on).
 */
export async function startSimDoorSensors(options: SimDoorSensorsOptions): Promise<SimDoorSensors> {
  const { world } = options;
  const openBeforeS = options.openBeforeS ?? 3;
  const openAfterS = options.openAfterS ?? 4;
  const clients = new Map<string, MqttClient>();
  const abort = new AbortController();
  let opens = 0;
  // A client id of its own per run: sensors of two runs sharing a broker without logins would otherwise take each other's sessions.
  const run = Math.random().toString(36).slice(2, 8);
  await Promise.all(
    options.rooms.map(async (room) => {
      const id = doorSensorDeviceId(room);
      clients.set(room, await connectMqtt(options.mqttUrl, { clientId: `${id}:${run}`, clock: world.clock, ...options.credentials?.(id) }));
    }),
  );
  const publish = async (room: string, open: boolean) => {
    const message: DoorSensorMessage = { timestamp: new Date(world.clock.now()).toISOString(), open, sensorId: `sim-${room}` };
    assertOutbound(doorSensorMessageSchema, message);
    await clients.get(room)?.publishAsync(doorSensorTopic(room), JSON.stringify(message), { qos: 1 });
  };
  const resident = async (room: string, delayS: number) => {
    await sleep(world.clock, Math.max(0, delayS - openBeforeS) * 1000, abort.signal);
    opens++;
    await publish(room, true);
    await sleep(world.clock, (Math.min(openBeforeS, delayS) + openAfterS) * 1000, abort.signal);
    await publish(room, false);
  };
  const stopListening = world.onResidentCalled((room, delayS) => {
    if (delayS === undefined || !clients.has(room)) return;
    // Aborted at stop; a publish on a closed client fails the same way: neither is news.
    resident(room, delayS).catch(() => undefined);
  });
  return {
    get opens() {
      return opens;
    },
    stop: async () => {
      stopListening();
      abort.abort();
      await Promise.all([...clients.values()].map((client) => client.endAsync()));
    },
  };
}

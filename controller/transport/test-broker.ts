import { startEmbeddedBroker } from './embedded-broker.js';

/**
 * The broker integration tests run against: the one at MQTT_URL when set (CI runs them a
 * second time against Mosquitto), else a fresh embedded aedes on a free port.
 */
export async function brokerForTests(): Promise<{ url: string; close(): Promise<void> }> {
  if (process.env.MQTT_URL) return { url: process.env.MQTT_URL, close: async () => {} };
  return startEmbeddedBroker({ port: 0 });
}

/** A manufacturer of its own per test keeps tests on a shared broker apart, retained messages included. */
export function uniqueManufacturer(prefix = 'test'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

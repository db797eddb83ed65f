import type { MqttClient } from 'mqtt';
import { malformedPayloads } from './malformed.js';

/** One topic to fuzz: where, a valid sample to break, and the receiver's own test of a payload. */
export interface MqttFuzzTarget {
  name: string;
  topic: string;
  sample: object;
  /** Whether the receiver takes `payload`: its schema, and every rule it checks beyond it (e.g. the VDA 5050 version a robot serves). */
  accepts: (payload: string) => boolean;
  /** How many messages the receiver has logged as dropped for this topic so far. */
  dropped: () => number;
}

export interface MqttFuzzRow {
  name: string;
  cases: number;
  /** Refused by the receiver's own test: each must be dropped with a logged reason. */
  invalid: number;
  droppedWithReason: number;
}

/**
 * Publishes `count` malformed payloads to each target (QoS 1, so each reached the broker) and
 * waits until its receiver has logged a drop, with the field path, for every payload it
 * refuses. A receiver that crashes or swallows one silently never gets there.
 */
export async function fuzzMqtt(client: MqttClient, targets: MqttFuzzTarget[], count: number, seed: number, timeoutMs = 30_000, settleMs = 300): Promise<MqttFuzzRow[]> {
  const rows: MqttFuzzRow[] = [];
  for (const [i, target] of targets.entries()) {
    const before = target.dropped();
    const payloads = malformedPayloads(target.sample, count, seed + i);
    const invalid = payloads.filter((p) => !target.accepts(p)).length;
    for (const payload of payloads) await client.publishAsync(target.topic, payload, { qos: 1 });
    const start = performance.now();
    while (target.dropped() - before < invalid && performance.now() - start < timeoutMs) await new Promise((r) => setTimeout(r, 20));
    // A moment more, so a drop of a payload the receiver should have taken is counted too.
    await new Promise((r) => setTimeout(r, settleMs));
    rows.push({ name: target.name, cases: payloads.length, invalid, droppedWithReason: target.dropped() - before });
  }
  return rows;
}

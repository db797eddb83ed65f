import type { MqttClient } from 'mqtt';
import type { z } from 'zod';
import { parseJsonWith } from '../../protocol/index.js';
import { malformedPayloads } from './malformed.js';

/** One topic to fuzz: where, a valid sample to break, and the schema its receiver validates with. */
export interface MqttFuzzTarget {
  name: string;
  topic: string;
  sample: object;
  schema: z.ZodType;
  /** How many messages the receiver has logged as dropped for this topic so far. */
  dropped: () => number;
}

export interface MqttFuzzRow {
  name: string;
  cases: number;
  /** Invalid by the schema: each must be dropped with a logged reason. */
  invalid: number;
  droppedWithReason: number;
}

/**
 * Publishes `count` malformed payloads to each target (QoS 1, so each reached the broker) and
 * waits until its receiver has logged a drop, with the field path, for every payload the schema
 * refuses. A receiver that crashes or swallows one silently never gets there.
 */
export async function fuzzMqtt(client: MqttClient, targets: MqttFuzzTarget[], count: number, seed: number, timeoutMs = 30_000): Promise<MqttFuzzRow[]> {
  const rows: MqttFuzzRow[] = [];
  for (const [i, target] of targets.entries()) {
    const before = target.dropped();
    const payloads = malformedPayloads(target.sample, count, seed + i);
    const invalid = payloads.filter((p) => !parseJsonWith(target.schema, p).ok).length;
    for (const payload of payloads) await client.publishAsync(target.topic, payload, { qos: 1 });
    const start = performance.now();
    while (target.dropped() - before < invalid && performance.now() - start < timeoutMs) await new Promise((r) => setTimeout(r, 20));
    rows.push({ name: target.name, cases: payloads.length, invalid, droppedWithReason: target.dropped() - before });
  }
  return rows;
}

/**
 * What an operator graphs and alerts on, in Prometheus's text format (prom-client): devices
 * online, MQTT messages in and out and those dropped, MQTT round trip and HTTP latency, the event
 * loop's lag, store write latency, trips and missions by state, alerts raised and open. One
 * registry per controller, so several controllers in one process (tests) keep their own counts.
 * Names follow Prometheus's conventions: `isofleet_` prefix, base units (seconds), `_total` counters.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { parseDroneTopic, parseVdaTopic } from '../../protocol/index.js';

/** A message a registry dropped: its topic and why (`notJson`, `invalid`: see `refusalReason`). */
export type DroppedMessage = { topic: string; reason: 'notJson' | 'invalid' };

export interface ControllerMetrics {
  registry: Registry;
  messagesIn: Counter<'kind' | 'topic'>;
  messagesOut: Counter<'kind' | 'topic'>;
  messagesDropped: Counter<'kind' | 'topic' | 'reason'>;
  mqttRoundTrip: Histogram;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  storeWrite: Histogram<'write'>;
  alertsRaised: Counter<'kind'>;
  /** Gauges read when scraped: each is given a function returning its values by label. */
  devicesOnline: Gauge<'kind'>;
  trips: Gauge<'status'>;
  missions: Gauge<'status'>;
  alertsOpen: Gauge<'kind'>;
}

/** Seconds: from 1 ms (a local broker) to 10 s (a link about to be called lost). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): ControllerMetrics {
  const registry = new Registry();
  // Process CPU, memory, GC and the event loop's lag (nodejs_eventloop_lag_*), from prom-client.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    messagesIn: new Counter({ name: 'isofleet_mqtt_messages_received_total', help: 'MQTT messages received, by device kind and topic', labelNames: ['kind', 'topic'], registers }),
    messagesOut: new Counter({ name: 'isofleet_mqtt_messages_sent_total', help: 'MQTT messages published, by device kind and topic', labelNames: ['kind', 'topic'], registers }),
    messagesDropped: new Counter({
      name: 'isofleet_mqtt_messages_dropped_total',
      help: 'MQTT messages received and dropped, by device kind, topic and reason (notJson, invalid)',
      labelNames: ['kind', 'topic', 'reason'],
      registers,
    }),
    mqttRoundTrip: new Histogram({
      name: 'isofleet_mqtt_round_trip_seconds',
      help: 'Time for a QoS 1 message from the controller through the broker back to the controller',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'isofleet_http_request_duration_seconds',
      help: 'HTTP requests, by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    storeWrite: new Histogram({ name: 'isofleet_store_write_seconds', help: 'Store writes, by kind of write', labelNames: ['write'], buckets: LATENCY_BUCKETS, registers }),
    alertsRaised: new Counter({ name: 'isofleet_alerts_raised_total', help: 'Alerts raised, a repeat of an open alert included, by kind', labelNames: ['kind'], registers }),
    devicesOnline: new Gauge({ name: 'isofleet_devices_online', help: 'Devices online, by kind (robot, drone)', labelNames: ['kind'], registers }),
    trips: new Gauge({ name: 'isofleet_trips', help: 'Trips held by the controller, by status', labelNames: ['status'], registers }),
    missions: new Gauge({ name: 'isofleet_missions', help: 'Spray missions held by the controller, by status', labelNames: ['status'], registers }),
    alertsOpen: new Gauge({ name: 'isofleet_alerts_open', help: 'Open alerts, by kind', labelNames: ['kind'], registers }),
  };
}

/** What a topic of `site` is about, as metric labels: `{kind: robot|drone, topic}`, or `other` for a topic of neither contract. */
export function topicLabels(topic: string, site?: string): { kind: string; topic: string } {
  const vda = parseVdaTopic(topic, site);
  if (vda) return { kind: 'robot', topic: vda.topic };
  const drone = parseDroneTopic(topic, site);
  if (drone) return { kind: 'drone', topic: drone.topic };
  return { kind: 'other', topic: 'other' };
}

/** Sets a scrape-time gauge to `counts` (label value → count), zeroing labels seen before and absent now. */
export function setCounts(gauge: Gauge<string>, label: string, counts: Map<string, number>, seen: Set<string>): void {
  for (const value of seen) if (!counts.has(value)) gauge.set({ [label]: value }, 0);
  for (const [value, count] of counts) {
    seen.add(value);
    gauge.set({ [label]: value }, count);
  }
}

/** How many of `items` have each value of `key`. */
export function countBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MqttClient } from 'mqtt';
import { controllerPingTopic, type Alert, type DroneView, type MissionSummary, type TripView } from '../../protocol/index.js';
import type { RobotView } from '../fleet/robot-view.js';
import { countBy, setCounts, topicLabels, type ControllerMetrics, type DroppedMessage } from './metrics.js';

interface Observed {
  mqtt: MqttClient;
  /** Emit `dropped` ({@link DroppedMessage}) for each message they drop. */
  registries: { on(event: 'dropped', listener: (dropped: DroppedMessage) => void): unknown }[];
  robots: () => RobotView[];
  drones: () => DroneView[];
  trips: () => TripView[];
  missions: () => MissionSummary[];
  alerts: { on(event: 'alert', listener: (alert: Alert) => void): unknown; list(query: { status: 'open' }): Alert[] };
  log: { warn: (details: object, message: string) => void; info: (details: object, message: string) => void };
  /** The controller's site id (its topics' interface names); none: the plain topics. */
  site?: string;
}

/** How long `/metrics` waits for its ping through the broker before it answers without one. */
const PING_TIMEOUT_MS = 2000;

/**
 * Feeds `metrics` from the controller's parts: MQTT packets in and out, dropped messages, HTTP
 * requests (`onResponse`), alerts as they are raised (each also logged); device, trip, mission
 * and alert counts when scraped. Serves `GET /metrics` (Prometheus text format), which first
 * times one QoS 1 message through the broker back to the controller; a scrape is the only thing
 * that sends it, so an idle controller sends nothing.
 */
export async function observeController(app: FastifyInstance, metrics: ControllerMetrics, observed: Observed): Promise<void> {
  const { mqtt } = observed;
  const pingTopic = controllerPingTopic(randomUUID(), observed.site);
  let pending: ((receivedAt: number) => void) | undefined;
  mqtt.on('packetreceive', (packet) => {
    if (packet.cmd !== 'publish') return;
    if (packet.topic === pingTopic) return pending?.(performance.now());
    metrics.messagesIn.inc(topicLabels(packet.topic, observed.site));
  });
  mqtt.on('packetsend', (packet) => {
    if (packet.cmd === 'publish' && packet.topic !== pingTopic) metrics.messagesOut.inc(topicLabels(packet.topic, observed.site));
  });
  for (const registry of observed.registries) registry.on('dropped', ({ topic, reason }) => metrics.messagesDropped.inc({ ...topicLabels(topic, observed.site), reason }));
  await mqtt.subscribeAsync(pingTopic, { qos: 1 });

  // Raised = an alert seen with a higher count than before; each raise is logged once.
  const counts = new Map<string, number>();
  observed.alerts.on('alert', (alert) => {
    const before = counts.get(alert.id) ?? 0;
    if (alert.status === 'resolved') {
      counts.delete(alert.id);
      if (before > 0) observed.log.info({ alert: alert.id, kind: alert.kind, subject: alert.subject, resolution: alert.resolution }, 'alert resolved');
      return;
    }
    counts.set(alert.id, alert.count);
    if (alert.count > before) {
      metrics.alertsRaised.inc({ kind: alert.kind }, alert.count - before);
      observed.log.warn({ alert: alert.id, kind: alert.kind, subject: alert.subject, count: alert.count, text: alert.message }, 'alert raised');
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route's template, not the URL: one series per route, whatever ids it is called with.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const seen = { kinds: new Set<string>(), trips: new Set<string>(), missions: new Set<string>(), alerts: new Set<string>() };
  const ping = (): Promise<void> =>
    new Promise((resolve) => {
      const sentAt = performance.now();
      const timer = setTimeout(() => {
        pending = undefined;
        resolve();
      }, PING_TIMEOUT_MS);
      pending = (receivedAt) => {
        clearTimeout(timer);
        pending = undefined;
        metrics.mqttRoundTrip.observe((receivedAt - sentAt) / 1000);
        resolve();
      };
      mqtt.publish(pingTopic, '', { qos: 1 });
    });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    if (!pending) await ping();
    const online = [
      ...observed
        .robots()
        .filter((r) => r.online)
        .map(() => 'robot'),
      ...observed
        .drones()
        .filter((d) => d.online)
        .map(() => 'drone'),
    ];
    setCounts(metrics.devicesOnline, 'kind', new Map([['robot', 0], ['drone', 0], ...countBy(online, (kind) => kind)]), seen.kinds);
    setCounts(
      metrics.trips,
      'status',
      countBy(observed.trips(), (t) => t.status),
      seen.trips,
    );
    setCounts(
      metrics.missions,
      'status',
      countBy(observed.missions(), (m) => m.status),
      seen.missions,
    );
    setCounts(
      metrics.alertsOpen,
      'kind',
      countBy(observed.alerts.list({ status: 'open' }), (a) => a.kind),
      seen.alerts,
    );
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { connectMqtt } from '../../common/index.js';
import { vdaTopic } from '../../protocol/index.js';
import { waitFor } from '../../sim/scenario.js';
import { buildApp } from '../app.js';
import { loadSite } from '../site/index.js';
import { brokerForTests, uniqueManufacturer } from '../transport/test-broker.js';

/** The value of one series in Prometheus's text format, e.g. `isofleet_devices_online{kind="robot"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  it('counts devices online, messages in, out and dropped, HTTP requests, store writes, alerts, and times a round trip through the broker', async () => {
    const broker = await brokerForTests();
    cleanup.push(() => broker.close());
    const manufacturer = uniqueManufacturer('metrics');
    const app: FastifyInstance = await buildApp({ site: await loadSite('hotel'), mqttUrl: broker.url, manufacturer });
    cleanup.push(() => app.close());
    const robot = await connectMqtt(broker.url, { clientId: `${manufacturer}-robot` });
    cleanup.push(() => robot.endAsync());
    const vehicle = { manufacturer, serialNumber: 'robot-9' };
    const header = { headerId: 1, timestamp: new Date().toISOString(), version: '2.1.0', ...vehicle };
    await robot.publishAsync(vdaTopic(vehicle, 'connection'), JSON.stringify({ ...header, connectionState: 'ONLINE' }), { qos: 1 });
    await robot.publishAsync(vdaTopic(vehicle, 'state'), '{"not json', { qos: 1 });
    await robot.publishAsync(vdaTopic(vehicle, 'state'), JSON.stringify({ ...header, orderId: 7 }), { qos: 1 });
    await waitFor(() => app.fleet.get(app.fleet.idOf(vehicle))?.online === true, 5000, 'robot online');

    expect((await app.inject({ url: '/api/robots' })).statusCode).toBe(200);
    const alert = app.alerts.raise({ kind: 'robotOffline', subject: 'robot-9', message: 'robot-9 is offline' });
    app.alerts.raise({ kind: 'robotOffline', subject: 'robot-9', message: 'robot-9 is offline' });
    expect((await app.inject({ method: 'POST', url: `/api/alerts/${alert.id}/ack` })).statusCode).toBe(200);

    let text = '';
    await waitFor(
      async () => {
        text = (await app.inject({ url: '/metrics' })).body;
        return (sample(text, 'isofleet_mqtt_messages_dropped_total{kind="robot",topic="state",reason="invalid"}') ?? 0) >= 1;
      },
      5000,
      'both drops counted',
    );
    const reply = await app.inject({ url: '/metrics' });
    expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    text = reply.body;
    expect(sample(text, 'isofleet_devices_online{kind="robot"}')).toBe(1);
    expect(sample(text, 'isofleet_devices_online{kind="drone"}')).toBe(0);
    expect(sample(text, 'isofleet_mqtt_messages_received_total{kind="robot",topic="connection"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'isofleet_mqtt_messages_received_total{kind="robot",topic="state"}')).toBe(2);
    expect(sample(text, 'isofleet_mqtt_messages_dropped_total{kind="robot",topic="state",reason="notJson"}')).toBe(1);
    expect(sample(text, 'isofleet_mqtt_messages_dropped_total{kind="robot",topic="state",reason="invalid"}')).toBe(1);
    // The controller asked the new robot for its state and factsheet.
    expect(sample(text, 'isofleet_mqtt_messages_sent_total{kind="robot",topic="instantActions"}')).toBeGreaterThanOrEqual(1);
    // One ping per scrape: at least the scrapes before this one.
    expect(sample(text, 'isofleet_mqtt_round_trip_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'isofleet_http_request_duration_seconds_count{method="GET",route="/api/robots",status="200"}')).toBe(1);
    expect(sample(text, 'isofleet_http_request_duration_seconds_count{method="POST",route="/api/alerts/:id/ack",status="200"}')).toBe(1);
    expect(sample(text, 'isofleet_store_write_seconds_count{write="audit"}')).toBe(1);
    expect(sample(text, 'isofleet_alerts_raised_total{kind="robotOffline"}')).toBe(2);
    expect(sample(text, 'isofleet_alerts_open{kind="robotOffline"}')).toBe(1);
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');

    app.alerts.resolve({ kind: 'robotOffline', subject: 'robot-9' }, 'robot-9 is back online');
    const after = (await app.inject({ url: '/metrics' })).body;
    expect(sample(after, 'isofleet_alerts_open{kind="robotOffline"}')).toBe(0);
  });
});

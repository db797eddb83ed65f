import { AgvController, VirtualAgvAdapter } from 'vda-5050-lib';
import { io as socketClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROLLER_USERNAME, sitePath, siteUsername, vdaInterfaceName, type RobotSummaryView, type SiteEntry } from '../protocol/index.js';
import { postgresAvailable, postgresForTests } from '../test-support/postgres.js';
import { buildApp } from './app.js';
import { derivedCredentials } from './auth/index.js';
import { loadSite } from './site/index.js';
import { brokerAuth } from './transport/broker-auth.js';
import { startEmbeddedBroker } from './transport/embedded-broker.js';
import { uniqueManufacturer } from './transport/test-broker.js';

/**
 * Two controllers, one per site, on one broker: the embedded aedes with logins (any site's
 * controller and devices sign in with passwords derived from one secret), or the broker at
 * MQTT_URL (CI's open Mosquitto: there the topics alone keep the sites apart; the ACL of the
 * Mosquitto files is the site ACL contract's, in mosquitto-files.test.ts). Each site has a
 * stock VDA 5050 AGV (vda-5050-lib) of the same manufacturer and serial number, configured for
 * its site by its interface name alone.
 */
describe('two sites on one broker', () => {
  const secret = 'two-sites-secret';
  const login = derivedCredentials(secret);
  const manufacturer = uniqueManufacturer('sites');
  // Site ids of their own per run: CI's Mosquitto is shared by the run's files.
  const sites = ['a', 'b'].map((s) => `${s}-${manufacturer.slice(-8)}`) as [string, string];
  const cleanup: (() => Promise<void>)[] = [];
  let url: string;

  beforeAll(async () => {
    if (process.env.MQTT_URL) url = process.env.MQTT_URL;
    else {
      const broker = await startEmbeddedBroker({ port: 0, auth: brokerAuth({ secret }) });
      cleanup.push(() => broker.close());
      url = `mqtt://127.0.0.1:${broker.port}`;
    }
  });
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('each controller sees only its own robot of the same serial number, and only its own going offline', async () => {
    const hotel = await loadSite('hotel');
    const standsOn = { [sites[0]]: 'G-c1', [sites[1]]: 'G-c5' };
    const apps = [];
    const agvs = [];
    for (const siteId of sites) {
      const app = await buildApp({ site: hotel, siteId, mqttUrl: url, manufacturer, mqttCredentials: login(siteUsername(CONTROLLER_USERNAME, siteId)) });
      cleanup.push(() => app.close());
      apps.push(app);
      const node = hotel.nodes.find((n) => n.id === standsOn[siteId])!;
      const device = login(siteUsername(`${manufacturer}/agv-1`, siteId));
      const agv = new AgvController(
        { manufacturer, serialNumber: 'agv-1' },
        { interfaceName: vdaInterfaceName(siteId), transport: { brokerUrl: url, username: device.username, password: device.password }, vdaVersion: '2.0.0' },
        { agvAdapterType: VirtualAgvAdapter },
        { initialPosition: { mapId: node.level, x: node.x, y: node.y, theta: 0, lastNodeId: node.id } } as never,
      );
      await agv.start();
      cleanup.push(() => agv.stop());
      agvs.push(agv);
    }
    const [appA, appB] = apps as [(typeof apps)[number], (typeof apps)[number]];
    const seen = async (app: typeof appA, check: (robots: ReturnType<typeof appA.fleet.list>) => boolean, what: string) => {
      const until = Date.now() + 10_000;
      while (!check(app.fleet.list())) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(app.fleet.list())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await seen(appA, (robots) => robots.some((r) => r.online && r.node === 'G-c1'), 'site A’s AGV on G-c1');
    await seen(appB, (robots) => robots.some((r) => r.online && r.node === 'G-c5'), 'site B’s AGV on G-c5');
    // One robot each, its own: the other site's AGV of the same id never shows.
    expect(appA.fleet.list().map((r) => [r.id, r.node])).toEqual([['agv-1', 'G-c1']]);
    expect(appB.fleet.list().map((r) => [r.id, r.node])).toEqual([['agv-1', 'G-c5']]);

    await agvs[0]!.stop();
    await seen(appA, (robots) => robots.every((r) => !r.online), 'site A’s AGV offline');
    await new Promise((r) => setTimeout(r, 300));
    expect(appB.fleet.list().map((r) => [r.id, r.online, r.node])).toEqual([['agv-1', true, 'G-c5']]);
  });

  it('each controller serves its API and socket.io under its own site’s path too, with only its own robots; another site’s path is refused', async () => {
    const hotel = await loadSite('hotel');
    const [siteA, siteB] = sites.map((s) => `path-${s}`) as [string, string];
    const origins: Record<string, string> = {};
    const standsOn: Record<string, string> = { [siteA]: 'G-c1', [siteB]: 'G-c5' };
    for (const siteId of [siteA, siteB]) {
      const app = await buildApp({ site: hotel, siteId, mqttUrl: url, manufacturer, mqttCredentials: login(siteUsername(CONTROLLER_USERNAME, siteId)) });
      cleanup.push(() => app.close());
      origins[siteId] = await app.listen({ port: 0, host: '127.0.0.1' });
      const node = hotel.nodes.find((n) => n.id === standsOn[siteId])!;
      const device = login(siteUsername(`${manufacturer}/agv-${siteId}`, siteId));
      const agv = new AgvController(
        { manufacturer, serialNumber: `agv-${siteId}` },
        { interfaceName: vdaInterfaceName(siteId), transport: { brokerUrl: url, username: device.username, password: device.password }, vdaVersion: '2.0.0' },
        { agvAdapterType: VirtualAgvAdapter },
        { initialPosition: { mapId: node.level, x: node.x, y: node.y, theta: 0, lastNodeId: node.id } } as never,
      );
      await agv.start();
      cleanup.push(() => agv.stop());
    }
    // What a reverse proxy passes on unchanged: the site's path on that site's controller.
    const get = async (siteId: string, path: string) => {
      const response = await fetch(`${origins[siteId]}${path}`);
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const robotsUnder = async (siteId: string) => ((await get(siteId, `${sitePath(siteId)}/api/robots`)).body as RobotSummaryView[]).map((r) => [r.id, r.node]);
    // Shown once its first state (with its node) is in: a robot can be listed from its connection first.
    const placed = async (siteId: string) => (await robotsUnder(siteId)).some(([, node]) => node !== null);
    const until = Date.now() + 10_000;
    while (!(await placed(siteA)) || !(await placed(siteB))) {
      if (Date.now() > until) throw new Error('the AGVs never showed under their sites’ paths');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await robotsUnder(siteA)).toEqual([[`agv-${siteA}`, 'G-c1']]);
    expect(await robotsUnder(siteB)).toEqual([[`agv-${siteB}`, 'G-c5']]);
    // The root keeps serving the same, for one site alone.
    expect((await get(siteA, '/api/robots')).body).toEqual((await get(siteA, `${sitePath(siteA)}/api/robots`)).body);

    // A proxy mapping site B's path to site A's controller gets a refusal naming both sites.
    const wrong = await get(siteA, `${sitePath(siteB)}/api/robots`);
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual({
      error: 'Not Found',
      message: `this controller serves site "${siteA}" (/sites/${siteA}/), not "${siteB}": /sites/${siteB}/api/robots belongs to that site's controller`,
    });
    expect((await get(siteA, `${sitePath(siteB)}/socket.io/?EIO=4&transport=polling`)).status).toBe(404);

    // socket.io under the site's path, by long polling (HTTP requests) and by WebSocket (an upgrade).
    for (const transports of [['polling'], ['websocket']]) {
      for (const siteId of [siteA, siteB]) {
        const live = socketClient(origins[siteId]!, { path: `${sitePath(siteId)}/socket.io`, transports, reconnection: false });
        const fleet = await new Promise<RobotSummaryView[]>((resolve, reject) => {
          live.on('fleet', resolve);
          live.on('connect_error', reject);
        }).finally(() => live.close());
        expect(
          fleet.map((r) => r.id),
          `${siteId} by ${transports[0]}`,
        ).toEqual([`agv-${siteId}`]);
      }
    }
  });

  it.skipIf(!postgresAvailable())('on one PostgreSQL database: both sites of the same map start, and each lists both sites with their fleets’ health and addresses', async () => {
    const server = await postgresForTests();
    cleanup.push(() => server.close());
    const hotel = await loadSite('hotel');
    const database = await server.newDatabase();
    const [siteA, siteB] = sites.map((s) => `db-${s}`) as [string, string];
    const start = (siteId: string, port: number) =>
      buildApp({
        site: hotel,
        siteId,
        publicUrl: `http://127.0.0.1:${port}`,
        siteReportMs: 200,
        databaseFile: database,
        mqttUrl: url,
        manufacturer,
        mqttCredentials: login(siteUsername(CONTROLLER_USERNAME, siteId)),
      });
    const appA = await start(siteA, 8101);
    cleanup.push(() => appA.close());
    const appB = await start(siteB, 8102);
    cleanup.push(() => appB.close());
    // Site A's AGV comes online; site B has none.
    const device = login(siteUsername(`${manufacturer}/agv-9`, siteA));
    const node = hotel.nodes.find((n) => n.id === 'G-c1')!;
    const agv = new AgvController(
      { manufacturer, serialNumber: 'agv-9' },
      { interfaceName: vdaInterfaceName(siteA), transport: { brokerUrl: url, username: device.username, password: device.password }, vdaVersion: '2.0.0' },
      { agvAdapterType: VirtualAgvAdapter },
      { initialPosition: { mapId: node.level, x: node.x, y: node.y, theta: 0, lastNodeId: node.id } } as never,
    );
    await agv.start();
    cleanup.push(() => agv.stop());

    const listOf = async (app: typeof appA) => (await app.inject({ method: 'GET', url: '/api/sites' })).json<SiteEntry[]>();
    const until = Date.now() + 10_000;
    let fromB = await listOf(appB);
    while (fromB.find((s) => s.site === siteA)?.health.robotsOnline !== 1) {
      if (Date.now() > until) throw new Error(`site A's report never showed its AGV: ${JSON.stringify(fromB)}`);
      await new Promise((r) => setTimeout(r, 100));
      fromB = await listOf(appB);
    }
    const health = (robots: number) => ({ robots, robotsOnline: robots, drones: 0, dronesOnline: 0, tripsUnderWay: 0, openAlerts: 0 });
    const strip = (list: SiteEntry[]) => list.filter((s) => s.site === siteA || s.site === siteB).map(({ reportedAt: _, ...rest }) => rest);
    expect(strip(fromB)).toEqual([
      { site: siteB, map: 'hotel', address: 'http://127.0.0.1:8102', health: health(0), current: true, own: true },
      { site: siteA, map: 'hotel', address: 'http://127.0.0.1:8101', health: health(1), current: true, own: false },
    ]);
    expect(strip(await listOf(appA))[0]).toEqual({ site: siteA, map: 'hotel', address: 'http://127.0.0.1:8101', health: health(1), current: true, own: true });
  });
});

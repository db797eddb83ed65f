import { RobotAgent } from '../firmware-bridge/index.js';
import type { Logger, MqttCredentials } from '../common/index.js';
import type { Language, Site, VdaVersion } from '../protocol/index.js';
import type { BatteryProfile } from '../controller/energy/index.js';
import { SimRobotDriver } from './sim-robot-driver.js';
import type { SimWorld } from './world.js';

export interface SimRobotFleetOptions {
  mqttUrl: string;
  world: SimWorld;
  count: number;
  manufacturer: string;
  logger?: Logger;
  language?: Language;
  /** Clock ms between position reports; raise it at high time scales to keep the broker calm. */
  visualizationIntervalMs?: number;
  /** Each robot's broker login by device id (`{manufacturer}/{serialNumber}`), when the broker asks. */
  credentials?: (deviceId: string) => MqttCredentials;
  /** The site on a broker shared by several (its topics' interface names, see `siteIdSchema`). */
  site?: string;
  /** The VDA 5050 version the bridges start in (default 2.1.0); 2.0.0 for a 2.0 master. */
  vdaVersion?: VdaVersion;
  /**
   * Robot by robot (index 0 is `robot-1`): its charge at the start (default 100 − 3 × index %),
   * its start node (default a charger each, then the loading station) and its battery (default the
   * controller's model, `DEFAULT_BATTERY_PROFILE`).
   */
  robots?: readonly { batteryPct?: number; at?: string; battery?: Partial<BatteryProfile> }[];
}

/** One simulated robot: its driver (the sim part) and the real bridge above it. */
export interface SimRobot {
  serialNumber: string;
  driver: SimRobotDriver;
  agent: RobotAgent;
}

/** Where robots wait when the fleet starts: the chargers, else the loading station. */
function startNodes(site: Site, count: number): string[] {
  const chargers = site.nodes.filter((n) => n.kind === 'charger').map((n) => n.id);
  const loading = site.nodes.find((n) => n.kind === 'loading')!.id;
  return Array.from({ length: count }, (_, i) => chargers[i] ?? loading);
}

/** The serial numbers of a simulated fleet of `count`: `robot-1` … `robot-N`. */
export function simRobotSerials(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `robot-${i + 1}`);
}

/**
 * Starts `count` simulated robots, each its own MQTT client running the real bridge, so
 * the fleet works against any broker. Serial numbers are {@link simRobotSerials}.
 */
export async function startSimRobotFleet(options: SimRobotFleetOptions): Promise<{ robots: SimRobot[]; stop(): Promise<void> }> {
  const { world } = options;
  const serials = simRobotSerials(options.count);
  const robots = startNodes(world.site, options.count).map((defaultStart, i): SimRobot => {
    const serialNumber = serials[i]!;
    const own = options.robots?.[i];
    const startNodeId = own?.at ?? defaultStart;
    const driver = new SimRobotDriver(world, startNodeId, { batteryPct: own?.batteryPct ?? 100 - 3 * i, name: serialNumber, ...(own?.battery ? { battery: own.battery } : {}) });
    const agent = new RobotAgent({
      mqttUrl: options.mqttUrl,
      vehicle: { manufacturer: options.manufacturer, serialNumber },
      driver,
      clock: world.clock,
      startNodeId,
      language: options.language,
      logger: options.logger,
      visualizationIntervalMs: options.visualizationIntervalMs,
      credentials: options.credentials?.(`${options.manufacturer}/${serialNumber}`),
      vdaVersion: options.vdaVersion,
      site: options.site,
      // The bridge rides lifts through the simulated cars once the controller grants one.
      lift: world.lifts.port(serialNumber),
    });
    return { serialNumber, driver, agent };
  });
  await Promise.all(robots.map((r) => r.agent.start()));
  return {
    robots,
    stop: async () => {
      await Promise.all(robots.map((r) => r.agent.stop()));
    },
  };
}

import { DroneAgent } from '../../firmware-bridge/drone/index.js';
import type { MavlinkDroneDriver } from '../../firmware-bridge/drone/mavlink/mavlink-drone-driver.js';
import type { Logger, MqttCredentials } from '../../common/index.js';
import { localFrame, type Clock, type GeoPoint } from '../../protocol/index.js';
import { waitFor } from '../scenario.js';
import { connectSitlDriver, type SitlFleet, type SitlInstance, SitlWatch, startSitl } from './ardupilot-sitl.js';
import { simDroneIds } from './fleet.js';

/** Options of {@link startSitlDroneFleet}. */
export interface SitlDroneFleetOptions {
  mqttUrl: string;
  /** The ArduCopter SITL binary. */
  binary: string;
  /** Simulated seconds per real second; `clock` must run at the same speed. */
  speedup: number;
  clock: Clock;
  pads: GeoPoint[];
  count: number;
  /** Drone ids are `${idPrefix}1` … Default `drone-`. */
  idPrefix?: string;
  /** Clock ms between periodic telemetry messages. Default 1000. */
  telemetryIntervalMs?: number;
  /** SITL's wind (SIM_WIND_SPD, SIM_WIND_DIR, SIM_WIND_TURB). Default calm. */
  wind?: { speedMps?: number; fromDeg?: number; gustMps?: number };
  /** How long the crew takes to swap a battery once a drone is down, simulated s. Default 120 (T20 profile's pad service). */
  padServiceS?: number;
  logger?: Logger;
  credentials?: (droneId: string) => MqttCredentials;
}

/** One SITL drone: the autopilot, the real bridge on it over MAVLink, and the station that watches it. */
export interface SitlDrone {
  id: string;
  instance: SitlInstance;
  driver: MavlinkDroneDriver;
  agent: DroneAgent;
  watch: SitlWatch;
}

/** A running SITL fleet. */
export interface SitlDroneFleet {
  drones: SitlDrone[];
  sitl: SitlFleet;
  /** Resolves once every autopilot has a GPS position estimate (EKF), as a crew waits for before a launch. */
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `count` ArduCopter SITL instances on the pads (round robin, 3 m apart on one pad), a
 * drone bridge (DroneAgent on the MAVLink driver) on each, and the crew: once a drone is down and
 * disarmed after a flight with its battery under 90 %, the crew swaps the battery after
 * `padServiceS` of the autopilot's time (the bridge refills the tank in the same service, as on a
 * real drone).
 */
export async function startSitlDroneFleet(options: SitlDroneFleetOptions): Promise<SitlDroneFleet> {
  if (options.pads.length === 0) throw new Error('the zones have no pad to start the drones on');
  const origin = options.pads[0]!;
  const frame = localFrame(origin.lat, origin.lon);
  const homes = Array.from({ length: options.count }, (_, i) => {
    const pad = options.pads[i % options.pads.length]!;
    const p = frame.toLocal(pad.lat, pad.lon);
    return frame.toGeo(p.x + Math.floor(i / options.pads.length) * 3, p.y);
  });
  const wind = options.wind;
  const sitl = await startSitl({
    binary: options.binary,
    homes,
    speedup: options.speedup,
    params: wind ? { SIM_WIND_SPD: wind.speedMps ?? 0, SIM_WIND_DIR: wind.fromDeg ?? 0, SIM_WIND_TURB: wind.gustMps ?? 0 } : {},
  });
  const drones: SitlDrone[] = [];
  const crew: NodeJS.Timeout[] = [];
  try {
    for (const [i, droneId] of simDroneIds(options.count, options.idPrefix).entries()) {
      const instance = sitl.instances[i]!;
      const driver = await connectSitlDriver(instance, options.clock, options.speedup);
      const watch = await SitlWatch.open(instance);
      const agent = new DroneAgent({
        mqttUrl: options.mqttUrl,
        droneId,
        driver,
        clock: options.clock,
        telemetryIntervalMs: options.telemetryIntervalMs,
        logger: options.logger,
        credentials: options.credentials?.(droneId),
      });
      drones.push({ id: droneId, instance, driver, agent, watch });
    }
    await Promise.all(drones.map((d) => d.agent.start()));
  } catch (error) {
    await stopAll();
    throw error;
  }

  const serviceMs = (options.padServiceS ?? 120) * 1000;
  for (const d of drones) {
    let flightsServed = 0;
    let downSinceMs: number | undefined;
    let swapping = false;
    // The crew belongs to the simulated world: it waits by the autopilot's clock (time_boot_ms),
    // which falls behind the bridges' clock when the machine is loaded.
    crew.push(
      setInterval(() => {
        const flights = d.watch.armings.filter((a) => !a.armed).length;
        // A service counts from the landing it follows: a take-off in between starts it afresh.
        if (d.watch.armed && !swapping) downSinceMs = undefined;
        if (swapping || d.watch.armed || flights === flightsServed || d.watch.batteryPct >= 90) return;
        downSinceMs ??= d.watch.bootMs;
        if (d.watch.bootMs - downSinceMs < serviceMs) return;
        swapping = true;
        void d.watch
          .swapBattery()
          .then((r) => {
            if (!r.ok) options.logger?.warn({ drone: d.id, err: r.reason }, 'battery swap refused');
            else flightsServed = flights;
          })
          .finally(() => {
            swapping = false;
            downSinceMs = undefined;
          });
      }, 100),
    );
  }

  async function stopAll(): Promise<void> {
    for (const t of crew) clearInterval(t);
    await Promise.all(drones.map((d) => d.agent.stop()));
    await Promise.all(drones.map((d) => d.watch.close()));
    await Promise.all(drones.map((d) => d.driver.close()));
    await sitl.stop();
  }

  return {
    drones,
    sitl,
    ready: (timeoutMs) => waitFor(() => drones.every((d) => d.driver.status().ekfOk && d.driver.status().gpsOk), timeoutMs, 'the autopilots to have a GPS position estimate'),
    stop: stopAll,
  };
}

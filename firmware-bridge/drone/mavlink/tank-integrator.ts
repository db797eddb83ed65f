import { distanceM, type GeoPoint } from '../../../protocol/index.js';

/**
 * Tank litres without a level sensor, integrated over the distance flown: ArduPilot's sprayer
 * scales its output with ground speed (SPRAY_PUMP_RATE is % per m/s), so a leg planned at
 * `flowLPerMin` and `legSpeedMps` sprays flow / (60 · speed) litres per metre whatever the speed
 * and whatever the clock. The pump idles below SPRAY_SPEED_MIN (default 1 m/s, seen on ArduCopter
 * 4.6 SITL). By distance rather than by time: the autopilot's time and the bridge's drift apart
 * (a SITL on a loaded machine ran at 0.6 of its speed-up, which integrated by the bridge's clock
 * emptied the tank two thirds of the way through a sortie planned for 17 of its 20 litres).
 * Pure: the caller passes each position the autopilot reports.
 */
export class TankIntegrator {
  tankL: number;
  sprayedL = 0;
  flowLPerMin = 0;
  private last?: GeoPoint;

  constructor(
    private readonly capacityL: number,
    private readonly minSpeedMps = 1,
  ) {
    this.tankL = capacityL;
  }

  /**
   * Advances to the autopilot's position `at`, with the pump `on` at `flowLPerMin` commanded for
   * `legSpeedMps`, flying at `groundSpeedMps`.
   */
  update(at: GeoPoint, pump: { on: boolean; flowLPerMin: number; legSpeedMps: number }, groundSpeedMps: number): void {
    const movedM = this.last ? distanceM(this.last, at) : 0;
    this.last = at;
    const running = pump.on && pump.legSpeedMps > 0 && groundSpeedMps >= this.minSpeedMps && this.tankL > 0;
    this.flowLPerMin = running ? pump.flowLPerMin * Math.min(1, groundSpeedMps / pump.legSpeedMps) : 0;
    const litres = running ? Math.min(this.tankL, (pump.flowLPerMin / (60 * pump.legSpeedMps)) * movedM) : 0;
    this.tankL -= litres;
    this.sprayedL += litres;
    if (this.tankL <= 0) this.flowLPerMin = 0;
  }

  /** The crew filled the tank. */
  refill(): void {
    this.tankL = this.capacityL;
  }
}

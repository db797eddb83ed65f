/**
 * Tank litres without a level sensor: integrated from the pump's commanded flow, scaled with
 * ground speed as ArduPilot's sprayer scales its output (SPRAY_PUMP_RATE is % per m/s) and idle
 * below SPRAY_SPEED_MIN (default 1 m/s, seen on ArduCopter 4.6 SITL: the pump idles below it).
 * Pure: the caller passes the time.
 */
export class TankIntegrator {
  tankL: number;
  sprayedL = 0;
  flowLPerMin = 0;
  private lastMs?: number;

  constructor(
    private readonly capacityL: number,
    private readonly minSpeedMps = 1,
  ) {
    this.tankL = capacityL;
  }

  /**
   * Advances to `nowMs` with the pump `on` at `flowLPerMin` commanded for `legSpeedMps`, flying at
   * `groundSpeedMps`.
   */
  update(nowMs: number, pump: { on: boolean; flowLPerMin: number; legSpeedMps: number }, groundSpeedMps: number): void {
    const dtS = this.lastMs === undefined ? 0 : Math.max(0, (nowMs - this.lastMs) / 1000);
    this.lastMs = nowMs;
    const running = pump.on && pump.legSpeedMps > 0 && groundSpeedMps >= this.minSpeedMps && this.tankL > 0;
    this.flowLPerMin = running ? pump.flowLPerMin * Math.min(1, groundSpeedMps / pump.legSpeedMps) : 0;
    const litres = Math.min(this.tankL, (this.flowLPerMin / 60) * dtS);
    this.tankL -= litres;
    this.sprayedL += litres;
    if (this.tankL <= 0) this.flowLPerMin = 0;
  }

  /** The crew filled the tank. */
  refill(): void {
    this.tankL = this.capacityL;
  }
}

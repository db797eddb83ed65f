/**
 * What the autopilot says about itself, folded from its messages (pure: no I/O, no clock):
 * HEARTBEAT (armed, mode), GLOBAL_POSITION_INT (position, height above home, course), VFR_HUD
 * (ground speed), SYS_STATUS / BATTERY_STATUS (battery), EXTENDED_SYS_STATE (landed state),
 * GPS_RAW_INT (fix), EKF_STATUS_REPORT (ArduPilot: the EKF uses GPS), WIND (ArduPilot),
 * FUEL_STATUS (a tank level sensor, liquid in ml), MISSION_CURRENT / MISSION_ITEM_REACHED and
 * STATUSTEXT.
 */
import { ardupilotmega, common, minimal, type MavLinkData } from 'node-mavlink';

/** ArduCopter's custom mode numbers (ardupilotmega COPTER_MODE). */
export const COPTER_MODE = ardupilotmega.CopterMode;

/** Name of a custom mode: ArduCopter's names, else `MODE n`. */
export function modeName(autopilot: number, customMode: number): string {
  if (autopilot === minimal.MavAutopilot.ARDUPILOTMEGA) return ardupilotmega.CopterMode[customMode] ?? `MODE ${customMode}`;
  return `MODE ${customMode}`;
}

/** Folded autopilot state. Fields stay undefined until their message has come once. */
export class AutopilotState {
  autopilot?: number;
  armed = false;
  customMode?: number;
  mode = 'UNKNOWN';
  lat?: number;
  lon?: number;
  altM = 0;
  headingDeg = 0;
  groundSpeedMps = 0;
  batteryPct?: number;
  landedState: number = common.MavLandedState.UNDEFINED;
  gpsFix = 0;
  ekfFlags?: number;
  sensorsHealthy?: number;
  windMps?: number;
  windFromDeg?: number;
  /** Remaining liquid from a level sensor, L. */
  tankL?: number;
  missionSeq?: number;
  missionTotal?: number;
  readonly reached = new Set<number>();
  lastText?: string;

  /** Applies one message; returns the STATUSTEXT when it was one (for the mission log). */
  apply(m: MavLinkData): { text?: string; severity?: number } {
    if (m instanceof minimal.Heartbeat) {
      // Heartbeats from other components (a gimbal, a GCS) do not speak for the vehicle.
      if (m.autopilot === minimal.MavAutopilot.INVALID) return {};
      this.autopilot = m.autopilot;
      this.armed = (m.baseMode & minimal.MavModeFlag.SAFETY_ARMED) !== 0;
      this.customMode = m.customMode;
      this.mode = modeName(m.autopilot, m.customMode);
    } else if (m instanceof common.GlobalPositionInt) {
      this.lat = m.lat / 1e7;
      this.lon = m.lon / 1e7;
      this.altM = m.relativeAlt / 1000;
      if (m.hdg !== 65535) this.headingDeg = m.hdg / 100;
    } else if (m instanceof common.VfrHud) {
      this.groundSpeedMps = Math.max(0, m.groundspeed);
    } else if (m instanceof common.SysStatus) {
      if (m.batteryRemaining >= 0) this.batteryPct = m.batteryRemaining;
      this.sensorsHealthy = m.onboardControlSensorsHealth;
    } else if (m instanceof common.BatteryStatus) {
      if (m.id === 0 && m.batteryRemaining >= 0) this.batteryPct = m.batteryRemaining;
    } else if (m instanceof common.ExtendedSysState) {
      this.landedState = m.landedState;
    } else if (m instanceof common.GpsRawInt) {
      this.gpsFix = m.fixType;
    } else if (m instanceof ardupilotmega.EkfStatusReport) {
      this.ekfFlags = m.flags;
    } else if (m instanceof ardupilotmega.Wind) {
      this.windMps = Math.max(0, m.speed);
      this.windFromDeg = ((m.direction % 360) + 360) % 360;
    } else if (m instanceof common.FuelStatus) {
      if (m.fuelType === common.MavFuelType.LIQUID && Number.isFinite(m.remainingFuel)) this.tankL = m.remainingFuel / 1000;
    } else if (m instanceof common.MissionCurrent) {
      this.missionSeq = m.seq;
      this.missionTotal = m.total;
    } else if (m instanceof common.MissionItemReached) {
      this.reached.add(m.seq);
    } else if (m instanceof common.StatusText) {
      this.lastText = m.text;
      return { text: m.text, severity: m.severity };
    }
    return {};
  }

  /** On the ground by EXTENDED_SYS_STATE, or (autopilots without it) disarmed. */
  get landed(): boolean {
    if (this.landedState === common.MavLandedState.UNDEFINED) return !this.armed;
    return this.landedState === common.MavLandedState.ON_GROUND;
  }

  /** A 3-D fix or better. */
  get gpsOk(): boolean {
    return this.gpsFix >= common.GpsFixType.GPS_FIX_TYPE_3D_FIX;
  }

  /** ArduPilot: the EKF has an absolute horizontal position (it uses GPS); others: the AHRS sensor is healthy. */
  get ekfOk(): boolean {
    if (this.ekfFlags !== undefined) return (this.ekfFlags & ardupilotmega.EkfStatusFlags.POS_HORIZ_ABS) !== 0 && (this.ekfFlags & ardupilotmega.EkfStatusFlags.GPS_GLITCHING) === 0;
    if (this.sensorsHealthy !== undefined) return (this.sensorsHealthy & common.MavSysStatusSensor.AHRS) !== 0;
    return false;
  }
}

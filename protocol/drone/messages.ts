/**
 * Drone wire messages. A mission is uploaded once (like a MAVLink mission upload) and flown one
 * sortie at a time on `start` commands; progress is reported as MAVLink does (the current item:
 * the waypoint being flown towards) plus the exact point to resume from.
 */
import { z } from 'zod';
import { broadcastMessageSchema, missionBroadcastSchema, payloadStateSchema, qrPayloadSchema, volumePctSchema } from './broadcast.js';

/** Header of every drone message: sender, per-topic counter, time. */
export const droneHeaderSchema = z.object({
  headerId: z.number().int().nonnegative(),
  /** ISO 8601 UTC. */
  timestamp: z.iso.datetime(),
  droneId: z.string().min(1),
});
export type DroneHeader = z.infer<typeof droneHeaderSchema>;

const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);

/** One mission item. Values describe the leg that starts here (towards the next waypoint). */
export const missionWaypointSchema = z.object({
  lat,
  lon,
  /** Height above ground, m; 0 on a pad (first item: take off there; last item: land there). */
  altM: z.number().min(0).max(500),
  /** Commanded ground speed towards the next waypoint, m/s. */
  speedMps: z.number().min(0).max(30),
  /** Pump on from this waypoint to the next. */
  spray: z.boolean(),
  /** Pump flow on that leg at `speedMps`, L/min; the pump scales it with ground speed (ArduPilot sprayer). */
  flowLPerMin: z.number().min(0).max(60),
  /** Hover here this long on arrival, s (MAVLink NAV_WAYPOINT hold time); absent: fly on. */
  holdS: z.number().min(0).max(3600).optional(),
  /**
   * The speaker plays the mission's `broadcast.message` over and over: with `holdS`, while holding
   * here; without, from here along the leg that starts here (a broadcast line flown forward: on
   * through the following `play` waypoints without a break, silent at the first waypoint without).
   */
  play: z.boolean().optional(),
});
export type MissionWaypoint = z.infer<typeof missionWaypointSchema>;

/** One flight from a pad to a pad. */
export const missionSortieSchema = z.object({
  /** 0-based index in this mission. */
  index: z.number().int().nonnegative(),
  waypoints: z.array(missionWaypointSchema).min(2),
});
export type MissionSortie = z.infer<typeof missionSortieSchema>;

/** A point on the ground: a pad or a path vertex. */
export const geoPointSchema = z.object({ lat, lon });
export type GeoPoint = z.infer<typeof geoPointSchema>;

/** `mission` topic (controller → drone, QoS 1): replaces the mission the drone holds. */
export const droneMissionSchema = droneHeaderSchema.extend({
  missionId: z.string().min(1),
  sorties: z.array(missionSortieSchema),
  /** Where the drone may land to return home (rally points); the nearest is used. */
  pads: z.array(geoPointSchema).min(1),
  /** Height for failsafe returns and long approaches, m (ArduPilot RTL_ALT). Default 20. */
  transitAltM: z.number().min(2).max(120).optional(),
  /** Return home after the link to the controller has been down this long, s (ArduPilot FS_GCS_TIMEOUT). Default 10. */
  linkLossTimeoutS: z.number().positive().optional(),
  /** Where the drone may fly (a ring, first point not repeated): an autopilot that holds a fence gets it as its inclusion polygon. */
  geofence: z.array(geoPointSchema).min(3).optional(),
  /** Where it may not (buildings, people): exclusion polygons for an autopilot's fence. */
  keepouts: z.array(z.array(geoPointSchema).min(3)).optional(),
  /** A broadcast mission: what the speaker plays at the `play` waypoints and the QR its display shows while flying. */
  broadcast: missionBroadcastSchema.optional(),
});
export type DroneMission = z.infer<typeof droneMissionSchema>;

/** Where inside a sortie to continue: on the leg towards `waypoint`, at `lat`/`lon`. */
export const resumePointSchema = z.object({
  sortie: z.number().int().nonnegative(),
  /** The waypoint being flown towards (MAVLink current item), ≥ 1. */
  waypoint: z.number().int().min(1),
  lat,
  lon,
});
export type ResumePoint = z.infer<typeof resumePointSchema>;

/** Commands a drone takes. */
export const droneCommandTypes = ['start', 'pause', 'resume', 'returnHome', 'land', 'abort', 'resumeControl', 'play', 'stopPlaying', 'volume', 'show', 'clearDisplay'] as const;
export type DroneCommandType = (typeof droneCommandTypes)[number];

const commandBase = droneHeaderSchema.extend({ commandId: z.string().min(1) });

/** `command` topic (controller → drone, QoS 1). */
export const droneCommandSchema = z.discriminatedUnion('command', [
  commandBase.extend({
    /** Fly this sortie of the mission held (`missionId` must match). */
    command: z.literal('start'),
    missionId: z.string().min(1),
    sortie: z.number().int().nonnegative(),
    /** Continue from this exact point; absent: the drone's own resume point for this sortie, else the start. */
    from: resumePointSchema.optional(),
    /** A clear path to fly (pump off, spray height) from take-off to the start point; absent: straight at transit height. */
    via: z.array(geoPointSchema).optional(),
  }),
  /** Stop where it is, pump off, hover; the point is kept for `resume`. */
  commandBase.extend({ command: z.literal('pause') }),
  /** After `pause`: back to the kept point and on. */
  commandBase.extend({ command: z.literal('resume') }),
  /** Pump off, keep the resume point, fly to a pad (`pad` index, else the nearest) and land. */
  commandBase.extend({ command: z.literal('returnHome'), pad: z.number().int().nonnegative().optional(), via: z.array(geoPointSchema).optional() }),
  /** Pump off, keep the resume point, land where it is. */
  commandBase.extend({ command: z.literal('land') }),
  /** Drop the sortie and its resume point, pump off, return to the nearest pad and land. */
  commandBase.extend({ command: z.literal('abort') }),
  /** The operator hands the drone back to the bridge after a pilot (or the autopilot's failsafe) took it over; it then holds where it is. */
  commandBase.extend({ command: z.literal('resumeControl') }),
  /** Speaker (capability `speaker`): play the message now, once or over and over until `stopPlaying`. */
  commandBase.extend({ command: z.literal('play'), message: broadcastMessageSchema, repeat: z.boolean().optional(), volumePct: volumePctSchema.optional() }),
  commandBase.extend({ command: z.literal('stopPlaying') }),
  commandBase.extend({ command: z.literal('volume'), volumePct: volumePctSchema }),
  /** Display (capability `display`): show this payload as a QR code, or blank it. */
  commandBase.extend({ command: z.literal('show'), qr: qrPayloadSchema }),
  commandBase.extend({ command: z.literal('clearDisplay') }),
]);
export type DroneCommand = z.infer<typeof droneCommandSchema>;

/** What the drone is doing. */
export const droneModeSchema = z.enum(['landed', 'takingOff', 'transit', 'mission', 'paused', 'returning', 'landing']);
export type DroneMode = z.infer<typeof droneModeSchema>;

/** Why the drone left its sortie on its own (failsafes). */
export const droneAlarmSchema = z.enum(['batteryLow', 'pumpFailure', 'linkLoss']);
export type DroneAlarm = z.infer<typeof droneAlarmSchema>;

/** Driver capabilities (`DroneDriver.capabilities`). */
export const droneCapabilitySchema = z.enum(['autoMission', 'fence', 'tankLevel', 'wind', 'speaker', 'display']);

/** The autopilot's own state, as a real one reports it (the simulator fills it too). */
export const autopilotStateSchema = z.object({
  armed: z.boolean(),
  /** The autopilot's mode name (ArduCopter `AUTO`, `BRAKE`, `RTL` …; `SIM` in the simulator). */
  flightMode: z.string(),
  gpsOk: z.boolean(),
  /** The position estimate is good enough to arm and navigate. */
  ekfOk: z.boolean(),
  /** Someone else flies it (a pilot on the remote, or the autopilot's failsafe); the bridge does not command it until the operator sends `resumeControl`. */
  externalControl: z.object({ mode: z.string(), reason: z.string() }).optional(),
  /** What it is waiting for ("waiting for the autopilot to allow arming …"). */
  notice: z.string().optional(),
  capabilities: z.array(droneCapabilitySchema),
});
export type AutopilotStateReport = z.infer<typeof autopilotStateSchema>;

/** `telemetry` topic (drone → controller, QoS 0): on every waypoint, pump change and command, and periodically. */
export const droneTelemetrySchema = droneHeaderSchema.extend({
  lat,
  lon,
  altM: z.number(),
  groundSpeedMps: z.number().min(0),
  /** Course over ground, degrees from north, clockwise, [0, 360). */
  headingDeg: z.number().min(0).max(360),
  batteryPct: z.number().min(0).max(100),
  tankL: z.number().min(0),
  /** `measured`: a level sensor; `integrated`: litres counted from the pump's commanded rate. */
  tankSource: z.enum(['measured', 'integrated']),
  pumpOn: z.boolean(),
  /** Measured flow, L/min (0 with the pump on means the pump failed or the drone is too slow). */
  flowLPerMin: z.number().min(0),
  /** Flow meter total, L since power-on; the controller doses cells from its increments. */
  sprayedL: z.number().min(0),
  /** Wind the autopilot estimates, m/s, and where it comes from, degrees. */
  windMps: z.number().min(0),
  windDirDeg: z.number().min(0).max(360),
  mode: droneModeSchema,
  missionId: z.string().optional(),
  /** Sortie being flown or last flown, when there is a mission. */
  sortie: z.number().int().nonnegative().optional(),
  /** Waypoint being flown towards (MAVLink current item). */
  waypoint: z.number().int().nonnegative().optional(),
  /** Index of the last sortie flown to its end, -1 for none. */
  lastCompletedSortie: z.number().int().min(-1),
  /** Where the interrupted sortie continues; absent when none is interrupted. */
  resume: resumePointSchema.optional(),
  /** The failsafe that ended the last flight early; cleared on the next start. */
  alarm: droneAlarmSchema.optional(),
  /** The last command taken or refused. */
  lastCommand: z.object({ commandId: z.string(), accepted: z.boolean(), reason: z.string().optional() }).optional(),
  autopilot: autopilotStateSchema,
  /** The speaker and display, on a drone that has them. */
  payload: payloadStateSchema.optional(),
  /** What the aircraft said since the last telemetry (an autopilot's STATUSTEXT), for the mission log. */
  log: z
    .array(z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string().max(200) }))
    .max(50)
    .optional(),
});
export type DroneTelemetry = z.infer<typeof droneTelemetrySchema>;

/** `connection` topic (retained; the last will says CONNECTIONBROKEN). */
export const droneConnectionSchema = droneHeaderSchema.extend({ connectionState: z.enum(['ONLINE', 'OFFLINE', 'CONNECTIONBROKEN']) });
export type DroneConnection = z.infer<typeof droneConnectionSchema>;

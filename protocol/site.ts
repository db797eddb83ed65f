import { z } from 'zod';
import { doorAlertSettingsSchema } from './api/doors.js';
import { robotActionParameterSchemas, roomSchema } from './robot-actions.js';

/** Isolation zone of a place: clean, in between, contaminated. */
export const isolationZoneSchema = z.enum(['green', 'buffer', 'red']);
export type IsolationZone = z.infer<typeof isolationZoneSchema>;

export const siteNodeKindSchema = z.enum(['room', 'loading', 'charger', 'liftLanding', 'corridor', 'disinfection']);
export type SiteNodeKind = z.infer<typeof siteNodeKindSchema>;

/** What a disinfection station does to a robot (`durationS`: seconds it stands in it): the `disinfect` action's parameters. */
export const disinfectionStationSchema = robotActionParameterSchemas.disinfect;
export type DisinfectionStation = z.infer<typeof disinfectionStationSchema>;

/**
 * A station whose site file does not say: a person wipes the robot down, a minute (the
 * slowest of the three ways, so plans are not optimistic).
 */
export const DEFAULT_DISINFECTION: DisinfectionStation = { method: 'wait', durationS: 60 };

export const siteNodeSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -'),
  kind: siteNodeKindSchema,
  level: z.string(),
  /** Metres in the level's frame. */
  x: z.number(),
  y: z.number(),
  zone: isolationZoneSchema,
  /** Room number, for `room` nodes (the node is at the room's door). */
  room: roomSchema.optional(),
  /** Lift id, for `liftLanding` nodes. */
  lift: z.string().optional(),
  /** For `disinfection` nodes: how the station disinfects (default {@link DEFAULT_DISINFECTION}). */
  disinfection: disinfectionStationSchema.optional(),
});
export type SiteNode = z.infer<typeof siteNodeSchema>;

/** The `disinfect` action a `disinfection` node runs on a robot; `undefined` for other nodes. */
export function disinfectionAt(node: SiteNode): DisinfectionStation | undefined {
  if (node.kind !== 'disinfection') return undefined;
  return node.disinfection ?? DEFAULT_DISINFECTION;
}

export const laneSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Metres; defaults to the straight distance between the nodes. */
  lengthM: z.number().positive().optional(),
  bidirectional: z.boolean().default(true),
  /** Id of the door this lane passes through (a ward or fire door, see `doors`). */
  door: z.string().optional(),
  /**
   * Id of the single-width way this lane belongs to (a door spur, a narrow passage, a tunnel):
   * robots cannot pass one another on it. Lanes sharing an id form one way, reserved whole for
   * one direction at a time. A place (node) is single-width when all its lanes are in one way:
   * it is then inside the way, where no robot waits for another. Unset: wide enough to pass.
   */
  way: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -')
    .optional(),
});
export type Lane = z.infer<typeof laneSchema>;

export const liftSchema = z.object({
  id: z.string(),
  /** Levels served, bottom to top; each needs a landing node of this lift. */
  levels: z.array(z.string()).min(2),
  /** Seconds to open or close the doors. */
  doorS: z.number().nonnegative().default(8),
  /** Seconds of car travel per floor. */
  perFloorS: z.number().nonnegative().default(3),
  /** Seconds for a robot to enter or to leave the car. */
  enterS: z.number().nonnegative().default(10),
});
export type Lift = z.infer<typeof liftSchema>;

/**
 * A door on the robots' way (a ward door, a fire door) that opens on request, as Open-RMF's
 * door adapters do: the robot asks, waits for it open, passes, and it closes again.
 */
export const siteDoorSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -'),
  level: z.string(),
  /** As drawn (Open-RMF: `hinged`, `double_hinged`, `sliding`, `double_sliding`). */
  type: z.string().default('hinged'),
  /** Seconds the door takes to open (or to close). */
  openS: z.number().nonnegative().default(4),
});
export type SiteDoor = z.infer<typeof siteDoorSchema>;

export const siteSchema = z
  .object({
    name: z.string().min(1),
    levels: z.array(z.object({ name: z.string().min(1), elevationM: z.number().default(0) })).min(1),
    nodes: z.array(siteNodeSchema).min(1),
    lanes: z.array(laneSchema),
    lifts: z.array(liftSchema).default([]),
    /** Doors on the robots' way; a lane through one names it (`door`). */
    doors: z.array(siteDoorSchema).default([]),
    /** Robot corridor speed in m/s used for travel times. */
    robotSpeedMps: z.number().positive().default(0.8),
    /** How the rooms' door sensors are read: quiet hours and their time zone (see `doorAlertSettingsSchema`); defaults when absent. */
    doorAlerts: doorAlertSettingsSchema.optional(),
  })
  .superRefine((site, ctx) => {
    const levels = new Set(site.levels.map((l) => l.name));
    const ids = new Map<string, number>();
    const rooms = new Set<string>();
    site.nodes.forEach((node, i) => {
      if (ids.has(node.id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id ${node.id}` });
      ids.set(node.id, i);
      if (!levels.has(node.level)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'level'], message: `unknown level ${node.level}` });
      if (node.kind === 'room') {
        if (!node.room) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'room'], message: 'a room node needs its room number' });
        else if (rooms.has(node.room)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'room'], message: `duplicate room ${node.room}` });
        else rooms.add(node.room);
      }
      if (node.disinfection && node.kind !== 'disinfection') {
        ctx.addIssue({ code: 'custom', path: ['nodes', i, 'disinfection'], message: `only a disinfection node disinfects (this one is ${node.kind})` });
      }
      if (node.kind === 'liftLanding' && !site.lifts.some((l) => l.id === node.lift)) {
        ctx.addIssue({ code: 'custom', path: ['nodes', i, 'lift'], message: `unknown lift ${String(node.lift)}` });
      }
    });
    const doors = new Set<string>();
    site.doors.forEach((door, i) => {
      if (doors.has(door.id)) ctx.addIssue({ code: 'custom', path: ['doors', i, 'id'], message: `duplicate door id ${door.id}` });
      doors.add(door.id);
      if (!levels.has(door.level)) ctx.addIssue({ code: 'custom', path: ['doors', i, 'level'], message: `unknown level ${door.level}` });
    });
    site.lanes.forEach((lane, i) => {
      for (const end of ['from', 'to'] as const) {
        if (!ids.has(lane[end])) ctx.addIssue({ code: 'custom', path: ['lanes', i, end], message: `unknown node ${lane[end]}` });
      }
      if (lane.door !== undefined && !doors.has(lane.door)) ctx.addIssue({ code: 'custom', path: ['lanes', i, 'door'], message: `unknown door ${lane.door}` });
    });
    // Single-width ways are held in orders like lifts and stations: no lift landing is inside one (a
    // robot would wait for a car holding the way), and no disinfection station is one of its ends
    // (its hold and the way's would fall on one edge; put it inside: the robot stands in it).
    site.lanes.forEach((lane, i) => {
      if (lane.way === undefined) return;
      for (const end of ['from', 'to'] as const) {
        const node = site.nodes[ids.get(lane[end]) ?? -1];
        if (!node) continue;
        const inside = site.lanes.every((l) => (l.from !== node.id && l.to !== node.id) || l.way === lane.way);
        if (node.kind === 'liftLanding' && inside)
          ctx.addIssue({ code: 'custom', path: ['lanes', i, 'way'], message: `lift landing ${node.id} would be inside single-width way ${lane.way}` });
        if (node.kind === 'disinfection' && !inside)
          ctx.addIssue({
            code: 'custom',
            path: ['lanes', i, 'way'],
            message: `disinfection station ${node.id} would be an end of single-width way ${lane.way}; put its other lanes in the way too`,
          });
      }
    });
    site.lifts.forEach((lift, i) => {
      for (const level of lift.levels) {
        const landings = site.nodes.filter((n) => n.kind === 'liftLanding' && n.lift === lift.id && n.level === level);
        if (landings.length !== 1) {
          ctx.addIssue({ code: 'custom', path: ['lifts', i, 'levels'], message: `lift ${lift.id} needs one landing on ${level}, has ${landings.length}` });
        }
      }
    });
    if (!site.nodes.some((n) => n.kind === 'loading')) {
      ctx.addIssue({ code: 'custom', path: ['nodes'], message: 'a site needs a loading station' });
    }
  });
/** A site file as written (defaults optional). */
export type SiteInput = z.input<typeof siteSchema>;
/** A validated site with defaults applied. */
export type Site = z.infer<typeof siteSchema>;

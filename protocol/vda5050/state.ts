import { z } from 'zod';
import { headerSchema, nodePositionSchema, vdaErrorSchema } from './common.js';

export const actionStatusSchema = z.enum(['WAITING', 'INITIALIZING', 'RUNNING', 'FINISHED', 'FAILED']);
export type ActionStatus = z.infer<typeof actionStatusSchema>;

export const actionStateSchema = z.object({
  actionId: z.string(),
  actionType: z.string().optional(),
  actionDescription: z.string().optional(),
  actionStatus: actionStatusSchema,
  resultDescription: z.string().optional(),
});
export type ActionState = z.infer<typeof actionStateSchema>;

export const loadSchema = z.object({
  loadId: z.string().optional(),
  loadType: z.string().optional(),
  /** isofleet trays: `tray1` … `tray4`, top to bottom. */
  loadPosition: z.string().optional(),
  weight: z.number().nonnegative().optional(),
});
export type Load = z.infer<typeof loadSchema>;

export const agvPositionSchema = nodePositionSchema.pick({ x: true, y: true, mapId: true, mapDescription: true }).extend({
  theta: z.number().min(-Math.PI).max(Math.PI),
  positionInitialized: z.boolean(),
  localizationScore: z.number().min(0).max(1).optional(),
  deviationRange: z.number().optional(),
});
export type AgvPosition = z.infer<typeof agvPositionSchema>;

export const stateSchema = headerSchema.extend({
  orderId: z.string(),
  orderUpdateId: z.number().int().nonnegative(),
  zoneSetId: z.string().optional(),
  lastNodeId: z.string(),
  lastNodeSequenceId: z.number().int().nonnegative(),
  driving: z.boolean(),
  paused: z.boolean().optional(),
  newBaseRequest: z.boolean().optional(),
  distanceSinceLastNode: z.number().optional(),
  operatingMode: z.enum(['AUTOMATIC', 'SEMIAUTOMATIC', 'MANUAL', 'SERVICE', 'TEACHIN']),
  nodeStates: z.array(
    z.object({
      nodeId: z.string(),
      sequenceId: z.number().int().nonnegative(),
      nodeDescription: z.string().optional(),
      released: z.boolean(),
      nodePosition: nodePositionSchema.optional(),
    }),
  ),
  edgeStates: z.array(
    z.object({
      edgeId: z.string(),
      sequenceId: z.number().int().nonnegative(),
      edgeDescription: z.string().optional(),
      released: z.boolean(),
    }),
  ),
  agvPosition: agvPositionSchema.optional(),
  velocity: z.object({ vx: z.number().optional(), vy: z.number().optional(), omega: z.number().optional() }).optional(),
  loads: z.array(loadSchema).optional(),
  actionStates: z.array(actionStateSchema),
  batteryState: z.object({
    /** Percent, 0–100. */
    batteryCharge: z.number(),
    batteryVoltage: z.number().optional(),
    batteryHealth: z.number().optional(),
    charging: z.boolean(),
    reach: z.number().optional(),
  }),
  errors: z.array(vdaErrorSchema),
  information: z
    .array(
      z.object({
        infoType: z.string(),
        infoReferences: z.array(z.object({ referenceKey: z.string(), referenceValue: z.string() })).optional(),
        infoDescription: z.string().optional(),
        infoLevel: z.enum(['INFO', 'DEBUG']),
      }),
    )
    .optional(),
  safetyState: z.object({
    eStop: z.enum(['AUTOACK', 'MANUAL', 'REMOTE', 'NONE']),
    fieldViolation: z.boolean(),
  }),
});
export type State = z.infer<typeof stateSchema>;

export const visualizationSchema = headerSchema.extend({
  agvPosition: agvPositionSchema.optional(),
  velocity: z.object({ vx: z.number().optional(), vy: z.number().optional(), omega: z.number().optional() }).optional(),
});
export type Visualization = z.infer<typeof visualizationSchema>;

import { z } from 'zod';
import { actionSchema, headerSchema, nodePositionSchema } from './common.js';

export const orderNodeSchema = z.object({
  nodeId: z.string().min(1),
  sequenceId: z.number().int().nonnegative(),
  nodeDescription: z.string().optional(),
  released: z.boolean(),
  nodePosition: nodePositionSchema.optional(),
  actions: z.array(actionSchema),
});
export type OrderNode = z.infer<typeof orderNodeSchema>;

export const orderEdgeSchema = z.object({
  edgeId: z.string().min(1),
  sequenceId: z.number().int().nonnegative(),
  edgeDescription: z.string().optional(),
  released: z.boolean(),
  startNodeId: z.string().min(1),
  endNodeId: z.string().min(1),
  /** Metres per second. */
  maxSpeed: z.number().positive().optional(),
  /** Metres; isofleet always sets it so drivers need no map to time a lane. */
  length: z.number().nonnegative().optional(),
  /** Radians: the robot's heading along the edge (see orientationType). */
  orientation: z.number().min(-Math.PI).max(Math.PI).optional(),
  /** `GLOBAL` (map frame) or `TANGENTIAL` (to the edge, the default). */
  orientationType: z.string().optional(),
  rotationAllowed: z.boolean().optional(),
  /** Radians per second. */
  maxRotationSpeed: z.number().optional(),
  /** Metres. */
  maxHeight: z.number().optional(),
  minHeight: z.number().optional(),
  /** Which way to turn at a junction (line-guided robots). */
  direction: z.string().optional(),
  /** A NURBS the robot should follow; handed to the driver as sent. */
  trajectory: z.object({}).passthrough().optional(),
  /** VDA 5050 2.1 only: how far left and right (m) the robot may leave the trajectory. */
  corridor: z.object({ leftWidth: z.number().nonnegative(), rightWidth: z.number().nonnegative(), corridorRefPoint: z.string().optional() }).optional(),
  actions: z.array(actionSchema),
});
export type OrderEdge = z.infer<typeof orderEdgeSchema>;

/**
 * A VDA 5050 order. Nodes have even sequence ids and edges odd ones, alternating
 * node, edge, node …; checked here so no executor has to.
 */
export const orderSchema = headerSchema
  .extend({
    orderId: z.string().min(1),
    orderUpdateId: z.number().int().nonnegative(),
    zoneSetId: z.string().optional(),
    nodes: z.array(orderNodeSchema).min(1),
    edges: z.array(orderEdgeSchema),
  })
  .superRefine((order, ctx) => {
    if (order.edges.length !== order.nodes.length - 1) {
      ctx.addIssue({ code: 'custom', path: ['edges'], message: `expected ${order.nodes.length - 1} edges between ${order.nodes.length} nodes` });
      return;
    }
    order.edges.forEach((edge, i) => {
      const from = order.nodes[i]!;
      const to = order.nodes[i + 1]!;
      if (edge.sequenceId !== from.sequenceId + 1 || to.sequenceId !== edge.sequenceId + 1) {
        ctx.addIssue({ code: 'custom', path: ['edges', i, 'sequenceId'], message: 'sequence ids must alternate node, edge, node' });
      }
      if (edge.startNodeId !== from.nodeId || edge.endNodeId !== to.nodeId) {
        ctx.addIssue({ code: 'custom', path: ['edges', i, 'startNodeId'], message: `edge must join ${from.nodeId} to ${to.nodeId}` });
      }
    });
  });
export type Order = z.infer<typeof orderSchema>;

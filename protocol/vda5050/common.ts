import { z } from 'zod';

/** The VDA 5050 version isofleet speaks. */
export const VDA_VERSION = '2.1.0';

/** Header fields every VDA 5050 message carries. */
export const headerSchema = z.object({
  headerId: z.number().int().nonnegative(),
  /** ISO 8601 UTC, e.g. `2026-11-22T12:00:00.000Z`. */
  timestamp: z.string().datetime(),
  version: z.string(),
  manufacturer: z.string().min(1),
  serialNumber: z.string().min(1),
});
export type Header = z.infer<typeof headerSchema>;

const parameterValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const actionParameterSchema = z.object({ key: z.string(), value: parameterValueSchema });
export type ActionParameter = z.infer<typeof actionParameterSchema>;

export const blockingTypeSchema = z.enum(['NONE', 'SOFT', 'HARD']);

export const actionSchema = z.object({
  actionType: z.string().min(1),
  actionId: z.string().min(1),
  actionDescription: z.string().optional(),
  blockingType: blockingTypeSchema,
  actionParameters: z.array(actionParameterSchema).optional(),
});
export type Action = z.infer<typeof actionSchema>;

export const nodePositionSchema = z.object({
  x: z.number(),
  y: z.number(),
  theta: z.number().min(-Math.PI).max(Math.PI).optional(),
  allowedDeviationXY: z.number().nonnegative().optional(),
  allowedDeviationTheta: z.number().min(0).max(Math.PI).optional(),
  /** isofleet uses the site level name as the map id. */
  mapId: z.string(),
  mapDescription: z.string().optional(),
});
export type NodePosition = z.infer<typeof nodePositionSchema>;

export const errorReferenceSchema = z.object({ referenceKey: z.string(), referenceValue: z.string() });
export type ErrorReference = z.infer<typeof errorReferenceSchema>;

export const vdaErrorSchema = z.object({
  errorType: z.string(),
  errorReferences: z.array(errorReferenceSchema).optional(),
  errorDescription: z.string().optional(),
  errorHint: z.string().optional(),
  errorLevel: z.enum(['WARNING', 'FATAL']),
});
export type VdaError = z.infer<typeof vdaErrorSchema>;

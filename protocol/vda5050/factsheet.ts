import { z } from 'zod';
import { headerSchema } from './common.js';

const agvActionSchema = z.object({
  actionType: z.string(),
  actionDescription: z.string().optional(),
  actionScopes: z.array(z.enum(['INSTANT', 'NODE', 'EDGE'])),
  actionParameters: z
    .array(
      z.object({
        key: z.string(),
        valueDataType: z.enum(['BOOL', 'NUMBER', 'INTEGER', 'FLOAT', 'STRING', 'OBJECT', 'ARRAY']),
        description: z.string().optional(),
        isOptional: z.boolean().optional(),
      }),
    )
    .optional(),
  resultDescription: z.string().optional(),
  blockingTypes: z.array(z.enum(['NONE', 'SOFT', 'HARD'])).optional(),
});

/** The parts of a VDA 5050 factsheet isofleet reads and writes (the spec's required ones among them). */
export const factsheetSchema = headerSchema.extend({
  typeSpecification: z.object({
    seriesName: z.string(),
    seriesDescription: z.string().optional(),
    agvKinematic: z.enum(['DIFF', 'OMNI', 'THREEWHEEL']),
    agvClass: z.enum(['FORKLIFT', 'CONVEYOR', 'TUGGER', 'CARRIER']),
    maxLoadMass: z.number(),
    localizationTypes: z.array(z.enum(['NATURAL', 'REFLECTOR', 'RFID', 'DMC', 'SPOT', 'GRID'])),
    navigationTypes: z.array(z.enum(['PHYSICAL_LINE_GUIDED', 'VIRTUAL_LINE_GUIDED', 'AUTONOMOUS'])),
  }),
  physicalParameters: z.object({
    speedMin: z.number(),
    speedMax: z.number(),
    accelerationMax: z.number(),
    decelerationMax: z.number(),
    heightMin: z.number().optional(),
    heightMax: z.number(),
    width: z.number(),
    length: z.number(),
  }),
  protocolLimits: z.object({
    maxStringLens: z.record(z.string(), z.union([z.number(), z.boolean()])),
    maxArrayLens: z.record(z.string(), z.number()),
    timing: z.object({
      minOrderInterval: z.number(),
      minStateInterval: z.number(),
      defaultStateInterval: z.number().optional(),
      visualizationInterval: z.number().optional(),
    }),
  }),
  protocolFeatures: z.object({
    optionalParameters: z.array(z.object({ parameter: z.string(), support: z.enum(['SUPPORTED', 'REQUIRED']), description: z.string().optional() })),
    agvActions: z.array(agvActionSchema),
  }),
  agvGeometry: z.object({}).passthrough(),
  loadSpecification: z.object({
    /** isofleet lists its trays here: `tray1` … `tray4`. */
    loadPositions: z.array(z.string()).optional(),
    loadSets: z.array(z.object({}).passthrough()).optional(),
  }),
});
export type Factsheet = z.infer<typeof factsheetSchema>;

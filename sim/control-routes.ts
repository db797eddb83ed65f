import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RoundManager } from '../controller/rounds/index.js';
import { simFaultSchema, simSpeedSchema, type SimFault } from '../protocol/index.js';
import { shuffle, type Random } from '../protocol/index.js';
import type { SimRobot } from './robot-fleet.js';
import type { ScaledClock } from './scaled-clock.js';
import type { SimWorld } from './world.js';

/** Something a developer can break on purpose: a simulated robot or drone. Returns false for faults it does not know. */
export type FaultTarget = (fault: SimFault, on: boolean) => Promise<boolean>;

export interface SimControlOptions {
  clock: ScaledClock;
  world: SimWorld;
  robots: SimRobot[];
  rounds: RoundManager;
  random: Random;
  /** Further targets (the simulated drones), by id. */
  extraTargets?: Map<string, FaultTarget>;
  /** Called after the medic mode changed (the demo hands robots waiting for a person back to the simulated medic). */
  onMedicMode?: (mode: 'auto' | 'manual') => Promise<void>;
}

/** Faults a simulated robot takes: stuck in a corridor, its link cut, a battery sag of 15 points. */
export function robotFaultTarget(robot: SimRobot): FaultTarget {
  return async (fault, on) => {
    switch (fault) {
      case 'stuck':
        if (on) robot.driver.injectFault('stuck');
        else robot.driver.clearFault('stuck');
        return true;
      case 'linkLoss':
        // The robot goes on with its order while its link is down, as a real one would.
        if (on) await robot.agent.crash();
        else await robot.agent.start();
        return true;
      case 'batterySag':
        if (on) robot.driver.sagBattery(15);
        return true;
      default:
        return false;
    }
  };
}

const errorSchema = z.object({ error: z.string(), message: z.string() });

/**
 * The developer panel's handles on an in-process simulation: time scale, the simulated medic,
 * fault injection and a quick random round. Only registered when the sim runs in the controller's
 * process (`npm start`).
 */
export const simControlRoutes: FastifyPluginAsyncZod<SimControlOptions> = async (app, options) => {
  const { clock, world, robots, rounds, random } = options;
  const targets = new Map<string, FaultTarget>([...robots.map((r) => [r.serialNumber, robotFaultTarget(r)] as const), ...(options.extraTargets ?? [])]);
  const simView = z.object({ speed: z.number(), robots: z.array(z.string()), drones: z.array(z.string()), medic: z.enum(['auto', 'manual']) });
  const view = () => ({
    speed: clock.speed,
    robots: robots.map((r) => r.serialNumber),
    drones: [...(options.extraTargets?.keys() ?? [])],
    medic: world.medicMode,
  });

  app.get('/api/sim', { schema: { response: { 200: simView } } }, async () => view());
  app.put('/api/sim/speed', { schema: { body: z.object({ speed: simSpeedSchema }), response: { 200: simView } } }, async (request) => {
    clock.setSpeed(request.body.speed);
    return view();
  });
  app.put('/api/sim/medic', { schema: { body: z.object({ mode: z.enum(['auto', 'manual']) }), response: { 200: simView } } }, async (request) => {
    world.medicMode = request.body.mode;
    await options.onMedicMode?.(request.body.mode);
    return view();
  });
  app.post(
    '/api/sim/faults',
    {
      schema: {
        body: z.object({ target: z.string(), fault: simFaultSchema, on: z.boolean().default(true) }),
        response: { 200: z.object({ target: z.string(), fault: simFaultSchema, on: z.boolean() }), 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const { target, fault, on } = request.body;
      const inject = targets.get(target);
      if (!inject) return reply.code(404).send({ error: 'Not Found', message: `no simulated robot or drone ${target}` });
      if (!(await inject(fault, on))) return reply.code(409).send({ error: 'Conflict', message: `${target} cannot take the fault ${fault}` });
      request.log.warn({ target, fault, on }, 'simulated fault');
      return { target, fault, on };
    },
  );
  app.post(
    '/api/sim/rounds',
    { schema: { body: z.object({ rooms: z.number().int().min(1).max(1000) }), response: { 201: z.object({ id: z.string() }), 409: errorSchema } } },
    async (request, reply) => {
      const all = world.site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : []));
      const picked = shuffle(all, random).slice(0, request.body.rooms);
      const result = await rounds.create({ rooms: picked.map((room) => ({ room })) });
      if (!result.ok) return reply.code(409).send({ error: 'Conflict', message: result.message });
      return reply.code(201).send({ id: result.round.id });
    },
  );
};

import { describe, expect, it } from 'vitest';
import type { Factsheet } from '../../protocol/index.js';
import { tripPlanFor } from './capabilities.js';

const factsheet = (actions: [string, ('NODE' | 'INSTANT' | 'EDGE')[]][], load: Factsheet['loadSpecification'] = {}): Factsheet =>
  ({
    protocolFeatures: { optionalParameters: [], agvActions: actions.map(([actionType, actionScopes]) => ({ actionType, actionScopes })) },
    loadSpecification: load,
  }) as unknown as Factsheet;

describe('tripPlanFor', () => {
  it('plans our custom actions when all four are listed in their scopes', () => {
    const ours = factsheet([
      ['loadTrays', ['NODE']],
      ['announce', ['NODE']],
      ['waitForPickup', ['NODE']],
      ['confirmLoaded', ['INSTANT']],
      ['pick', ['NODE']],
      ['drop', ['NODE']],
    ]);
    expect(tripPlanFor('r', ours, false)).toEqual({ ok: true, plan: { kind: 'isofleet' } });
  });

  it('plans a contactless trip from pick and drop, one load per leg unless load positions say more, with the factsheet’s load type', () => {
    expect(
      tripPlanFor(
        'r',
        factsheet([
          ['pick', ['NODE']],
          ['drop', ['NODE']],
        ]),
        false,
      ),
    ).toEqual({ ok: true, plan: { kind: 'contactless', loadsPerLeg: 1, initPositionAfterLift: false } });
    const bigger = factsheet(
      [
        ['pick', ['NODE']],
        ['drop', ['NODE']],
        ['initPosition', ['INSTANT', 'NODE']],
      ],
      { loadPositions: ['a', 'b'], loadSets: [{ setName: 's', loadType: 'box' }] },
    );
    expect(tripPlanFor('r', bigger, false)).toEqual({ ok: true, plan: { kind: 'contactless', loadsPerLeg: 2, loadType: 'box', initPositionAfterLift: true } });
  });

  it('names what is missing, scope included', () => {
    const instantOnly = tripPlanFor(
      'acme/7',
      factsheet([
        ['pick', ['NODE']],
        ['drop', ['INSTANT']],
        ['loadTrays', ['NODE']],
      ]),
      false,
    );
    expect(instantOnly).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/acme\/7 .*lacks drop \(NODE\) \(or isofleet's announce \(NODE\), waitForPickup \(NODE\), confirmLoaded \(INSTANT\)\)/),
    });
  });

  it('takes a robot of our own without a factsheet for ours; another maker’s must send one', () => {
    expect(tripPlanFor('robot-1', undefined, true)).toEqual({ ok: true, plan: { kind: 'isofleet' } });
    expect(tripPlanFor('acme/7', undefined, false)).toMatchObject({ ok: false, reason: expect.stringMatching(/no factsheet/) });
  });
});

import { describe, expect, it } from 'vitest';
import { loadSite, SiteGraph } from '../site/index.js';
import { startNodeOf } from './start-node.js';

describe('startNodeOf', async () => {
  const graph = new SiteGraph(await loadSite('hotel'));
  const station = graph.loadingStation;

  it('takes a lastNodeId that is a site node', () => {
    expect(startNodeOf(graph, 'r', 'R103', null)).toEqual({ ok: true, nodeId: 'R103' });
  });

  it('otherwise the nearest node on the robot’s map within the deviation', () => {
    expect(startNodeOf(graph, 'r', 'home', { x: station.x + 0.3, y: station.y - 0.2, mapId: station.level })).toEqual({ ok: true, nodeId: station.id });
    expect(startNodeOf(graph, 'r', null, { x: 10.1, y: 2.4, mapId: 'F1' })).toEqual({ ok: true, nodeId: 'R103' });
  });

  it('says why not: too far, an unknown map, no position', () => {
    expect(startNodeOf(graph, 'r', 'home', { x: station.x + 1.5, y: station.y, mapId: station.level })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/1\.5 m from the nearest site node G-loading.*last node home is not on the site/),
    });
    expect(startNodeOf(graph, 'r', 'home', { x: 0, y: 0, mapId: 'warehouse' })).toMatchObject({ ok: false, reason: expect.stringMatching(/map warehouse is no level/) });
    expect(startNodeOf(graph, 'r', 'home', null)).toMatchObject({ ok: false, reason: expect.stringMatching(/reports no position/) });
  });
});

import { describe, expect, it } from 'vitest';
import { robotAction, robotActionParameters, trayFromLoadPosition, trayLoadPosition } from './robot-actions.js';
import { orderSchema } from './vda5050/order.js';
import { describeProblems, parseWith } from './validation.js';

describe('custom robot actions', () => {
  it('round-trips typed parameters through VDA actionParameters', () => {
    const action = robotAction('announce', 'a1', { room: '6622', tray: 1, language: 'zh' });
    expect(action.actionParameters).toEqual([
      { key: 'room', value: '6622' },
      { key: 'tray', value: 1 },
      { key: 'language', value: 'zh' },
    ]);
    expect(robotActionParameters('announce', action).data).toEqual({ room: '6622', tray: 1, language: 'zh' });
  });

  it('leaves out parameters that are not set', () => {
    const action = robotAction('announce', 'a1', { room: '101', tray: 2, language: undefined });
    expect(action.actionParameters?.map((p) => p.key)).toEqual(['room', 'tray']);
  });

  it('rejects a tray outside 1..4 and names the parameter', () => {
    const action = robotAction('waitForPickup', 'a2', { tray: 1, timeoutS: 120 });
    action.actionParameters![0]!.value = 5;
    const parsed = robotActionParameters('waitForPickup', action);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['tray']);
  });

  it('maps trays to loadPositions tray1..tray4', () => {
    expect(trayLoadPosition(3)).toBe('tray3');
    expect(trayFromLoadPosition('tray4')).toBe(4);
    expect(trayFromLoadPosition('tray5')).toBeUndefined();
    expect(trayFromLoadPosition(undefined)).toBeUndefined();
  });
});

describe('order schema', () => {
  const base = {
    headerId: 1,
    timestamp: new Date(0).toISOString(),
    version: '2.1.0',
    manufacturer: 'm',
    serialNumber: 's',
    orderId: 'o',
    orderUpdateId: 0,
  };
  const node = (nodeId: string, sequenceId: number) => ({ nodeId, sequenceId, released: true, actions: [] });
  const edge = (a: string, b: string, sequenceId: number) => ({ edgeId: `${a}-${b}`, sequenceId, released: true, startNodeId: a, endNodeId: b, actions: [] });

  it('accepts alternating node, edge, node', () => {
    expect(parseWith(orderSchema, { ...base, nodes: [node('a', 0), node('b', 2)], edges: [edge('a', 'b', 1)] }).ok).toBe(true);
  });

  it('names the field of a broken order', () => {
    const parsed = parseWith(orderSchema, { ...base, nodes: [{ ...node('a', 0), sequenceId: 'zero' }], edges: [] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(describeProblems(parsed.problems)).toMatch(/^nodes\.0\.sequenceId: /);
  });

  it('rejects edges that do not join their nodes', () => {
    const parsed = parseWith(orderSchema, { ...base, nodes: [node('a', 0), node('b', 2)], edges: [edge('a', 'c', 1)] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]?.path).toBe('edges.0.startNodeId');
  });
});

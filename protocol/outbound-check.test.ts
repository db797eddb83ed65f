import { afterEach, describe, expect, it } from 'vitest';
import { droneConnectionSchema } from './index.js';
import { assertOutbound, checkOutboundMessages } from './outbound-check.js';

const good = { headerId: 0, timestamp: '2026-11-29T12:00:00.000Z', droneId: 'd1', connectionState: 'ONLINE' };

describe('outbound message check', () => {
  afterEach(() => checkOutboundMessages(true));

  it('is on in every test file (the setup file) and names the field of a message that breaks the contract', () => {
    expect(() => assertOutbound(droneConnectionSchema, good)).not.toThrow();
    expect(() => assertOutbound(droneConnectionSchema, { ...good, connectionState: 'MAYBE' })).toThrow(/connectionState/);
  });

  it('lets everything through when off, as in production', () => {
    checkOutboundMessages(false);
    expect(() => assertOutbound(droneConnectionSchema, { ...good, connectionState: 'MAYBE' })).not.toThrow();
  });
});

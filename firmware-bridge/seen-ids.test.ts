import { describe, expect, it } from 'vitest';
import { SeenIds } from './seen-ids.js';

describe('SeenIds', () => {
  it('tells a repeat from a first time, and forgets the oldest beyond its capacity', () => {
    const seen = new SeenIds(2);
    expect(seen.firstTime('a')).toBe(true);
    expect(seen.firstTime('a')).toBe(false);
    expect(seen.firstTime('b')).toBe(true);
    expect(seen.firstTime('c')).toBe(true);
    expect(seen.firstTime('b')).toBe(false);
    expect(seen.firstTime('a')).toBe(true);
  });
});

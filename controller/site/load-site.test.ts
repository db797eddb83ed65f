import { describe, expect, it } from 'vitest';
import { loadSite } from './load-site.js';

describe('loadSite', () => {
  it('reads a shipped site by its name', async () => {
    expect((await loadSite('hotel')).name).toBe('hotel');
  });

  it('names the sites it has when a name is unknown, and the file when a path is missing', async () => {
    await expect(loadSite('nowhere')).rejects.toThrow('no site "nowhere": the sites here are hotel (sites/NAME.json), or give the path of a site file');
    await expect(loadSite('park')).rejects.toThrow('no site "park": the sites here are hotel');
    await expect(loadSite('/tmp/no-such-dir/site.json')).rejects.toThrow('no site file /tmp/no-such-dir/site.json');
  });
});

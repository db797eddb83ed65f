import { describe, expect, it } from 'vitest';
import { sitePath, sitePathBase, siteOfPath, withoutSitePath } from './site-path.js';

describe('a site’s HTTP path', () => {
  it('takes the own site’s path off the front, and nothing else', () => {
    expect(sitePath('hotel-a')).toBe('/sites/hotel-a');
    expect(withoutSitePath('/sites/hotel-a/api/robots?x=1', 'hotel-a')).toBe('/api/robots?x=1');
    expect(withoutSitePath('/sites/hotel-a/', 'hotel-a')).toBe('/');
    expect(withoutSitePath('/sites/hotel-a', 'hotel-a')).toBe('/');
    expect(withoutSitePath('/sites/hotel-a?lang=en', 'hotel-a')).toBe('/?lang=en');
    expect(withoutSitePath('/sites/hotel-a/socket.io/?EIO=4', 'hotel-a')).toBe('/socket.io/?EIO=4');
    // Another site's, one that only starts the same, and the root's paths stay as they are.
    expect(withoutSitePath('/sites/hotel-b/api/robots', 'hotel-a')).toBeUndefined();
    expect(withoutSitePath('/sites/hotel-ab/api/robots', 'hotel-a')).toBeUndefined();
    expect(withoutSitePath('/api/robots', 'hotel-a')).toBeUndefined();
  });

  it('reads the site’s name in a path percent-decoded, as the proxy matched it', () => {
    expect(withoutSitePath('/sites/ho%74el/api/robots?x=1', 'hotel')).toBe('/api/robots?x=1');
    expect(withoutSitePath('/sites/hotel%2Da', 'hotel-a')).toBe('/');
    expect(withoutSitePath('/sites/hotel%2Da/', 'hotel-b')).toBeUndefined();
    expect(withoutSitePath('/sites/%ZZ/', 'hotel-a')).toBeUndefined();
    expect(siteOfPath('/sites/ho%74el/')).toBe('hotel');
    expect(sitePathBase('/sites/ho%74el/kiosk/robot-1')).toBe('/sites/hotel');
  });

  it('tells the site of a path and the base a page was loaded under', () => {
    expect(siteOfPath('/sites/hotel-b/api/robots')).toBe('hotel-b');
    expect(siteOfPath('/sites/hotel-b')).toBe('hotel-b');
    expect(siteOfPath('/sites/')).toBeUndefined();
    expect(siteOfPath('/api/sites')).toBeUndefined();
    expect(siteOfPath('/sites/%ZZ/')).toBeUndefined();
    expect(sitePathBase('/sites/hotel-a/')).toBe('/sites/hotel-a');
    expect(sitePathBase('/sites/hotel-a/kiosk/robot-1')).toBe('/sites/hotel-a');
    expect(sitePathBase('/sites/hotel-a')).toBe('/sites/hotel-a');
    expect(sitePathBase('/')).toBe('');
    expect(sitePathBase('/kiosk/robot-1')).toBe('');
    expect(sitePathBase('/sitesx/a/')).toBe('');
  });
});

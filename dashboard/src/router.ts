import { sitePathBase } from '../../protocol/site-path.js';

/** Hash routes, so any static server can serve the dashboard: `#/medic`, `#/kiosk/robot-1`, … */
export type Route =
  | { screen: 'medic' }
  | { screen: 'fleet' }
  | { screen: 'operator' }
  | { screen: 'dev' }
  | { screen: 'admin' }
  | { screen: 'kiosk'; robot: string }
  | { screen: 'bench'; params: URLSearchParams };

/**
 * Reads the route from the hash, or from the path (`/kiosk/robot-1`, `/sites/hotel-a/kiosk/robot-1`
 * under a site's path) when there is no hash.
 */
export function parseRoute(location: { hash: string; pathname: string }): Route {
  const raw = location.hash.replace(/^#/, '') || location.pathname.slice(sitePathBase(location.pathname).length);
  const [path = '', query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'fleet':
      return { screen: 'fleet' };
    case 'operator':
      return { screen: 'operator' };
    case 'dev':
      return { screen: 'dev' };
    case 'admin':
      return { screen: 'admin' };
    case 'kiosk':
      return parts[1] ? { screen: 'kiosk', robot: decodeURIComponent(parts[1]) } : { screen: 'medic' };
    case 'bench':
      return { screen: 'bench', params: new URLSearchParams(query) };
    default:
      return { screen: 'medic' };
  }
}

/** Loads a screen's code on first visit, so the first screen loads fast. */
export function loadScreen(screen: Route['screen']): Promise<unknown> {
  switch (screen) {
    case 'medic':
    case 'kiosk':
      return import('./components/medic-screen.js');
    case 'fleet':
      return import('./components/fleet-view.js');
    case 'operator':
      return import('./components/operator-view.js');
    case 'dev':
      return import('./components/dev-panel.js');
    case 'admin':
      return import('./components/admin-screen.js');
    case 'bench':
      return import('./components/bench-page.js');
  }
}

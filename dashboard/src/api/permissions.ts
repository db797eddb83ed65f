/**
 * What the signed-in user may do, read from the server's own access table
 * (`controller/auth/policy.ts`), so a screen shows a control as usable exactly when the server
 * would accept it: a medic sees no active drone Abort, a viewer no acknowledge button.
 */
import { ACCESS_POLICY, decide } from '../../../controller/auth/policy.js';
import { session } from './session.js';

/** True when the signed-in user's role may call `method` on the route pattern (`/api/missions/:id/abort`). */
export function can(method: 'GET' | 'POST' | 'PUT' | 'DELETE', route: string): boolean {
  const role = session.user()?.role;
  return decide(ACCESS_POLICY, method, route, role).ok;
}

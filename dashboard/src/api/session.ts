/**
 * Who is signed in on this screen: the bearer token the server gave at sign-in, kept in
 * localStorage so a robot's kiosk and a medic's tablet stay signed in across reloads.
 */
import type { Session } from '../../../protocol/index.js';
import { pathBase } from './path-base.js';

// One session per site: the sites behind one host name share the page's storage, and each
// controller knows only its own sessions.
const KEY = `isofleet.token${pathBase}`;
const USER_KEY = `isofleet.user${pathBase}`;

/** The signed-in user as the server described them at sign-in. */
export type SessionUser = Pick<Session, 'username' | 'role'>;

const listeners = new Set<() => void>();
/** Set when the server refused the token (expired, revoked, a database started afresh): the sign-in form says so. */
let ended = false;

export const session = {
  token(): string | null {
    return localStorage.getItem(KEY);
  },
  user(): SessionUser | null {
    const text = localStorage.getItem(USER_KEY);
    return text ? (JSON.parse(text) as SessionUser) : null;
  },
  signIn(token: string, user: SessionUser): void {
    ended = false;
    localStorage.setItem(KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
    for (const listener of listeners) listener();
  },
  /** True after the server refused a kept session (not after signing out). */
  ended(): boolean {
    return ended;
  },
  /** Forgets the token (signed out, or `refused`: expired or revoked); screens go back to the sign-in form. */
  clear(refused = false): void {
    if (localStorage.getItem(KEY) === null) return;
    ended = refused;
    localStorage.removeItem(KEY);
    localStorage.removeItem(USER_KEY);
    for (const listener of listeners) listener();
  },
  /** Calls `listener` when someone signs in or out; returns the teardown. */
  onChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

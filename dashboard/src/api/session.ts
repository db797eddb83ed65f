/**
 * Who is signed in on this screen: the bearer token the server gave at sign-in, kept in
 * localStorage so a robot's kiosk and a medic's tablet stay signed in across reloads.
 */
import type { Session } from '../../../protocol/index.js';

const KEY = 'isofleet.token';
const USER_KEY = 'isofleet.user';

/** The signed-in user as the server described them at sign-in. */
export type SessionUser = Pick<Session, 'username' | 'role'>;

const listeners = new Set<() => void>();

export const session = {
  token(): string | null {
    return localStorage.getItem(KEY);
  },
  user(): SessionUser | null {
    const text = localStorage.getItem(USER_KEY);
    return text ? (JSON.parse(text) as SessionUser) : null;
  },
  signIn(token: string, user: SessionUser): void {
    localStorage.setItem(KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
    for (const listener of listeners) listener();
  },
  /** Forgets the token (signed out, expired or revoked); screens go back to the sign-in form. */
  clear(): void {
    if (localStorage.getItem(KEY) === null) return;
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

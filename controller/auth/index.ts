/**
 * Users, roles and device access (issue 7): sign-in with bearer tokens, the role policy on every
 * `/api` route and the socket.io connection, and per-device MQTT credentials with an ACL for
 * the embedded broker (`controller/transport/broker-auth.ts`) and for Mosquitto (the files
 * `npm run mosquitto-files` writes).
 */
export { actorOf, installAuth, socketAuthMiddleware, watchSocketSessions, signedIn, bearerToken, type InstallAuthOptions, type RequestAuth, type SocketAuthData } from './auth-plugin.js';
export { authRoutes, type AuthRoutesOptions } from './auth-routes.js';
export { ACCESS_POLICY, decide, ruleFor, type AccessRule, type Allow, type Decision, type PolicyMethod } from './policy.js';
export { SqliteUserStore, ensureFirstAdmin, migrateAuth, AUTH_MIGRATIONS, type UserStore, type UserChangeResult, type FirstAdminResult } from './user-store.js';
export { SqliteSessionStore, DEFAULT_SESSION_TTL_MS, type SessionStore, type AuthUser } from './session-store.js';
export { LoginRateLimiter, type LoginRateLimitOptions, type RateDecision } from './login-rate-limit.js';
export { hashPassword, verifyPassword, generatePassword, DEFAULT_SCRYPT, type ScryptParams } from './password-hash.js';
export {
  derivedDevicePassword,
  derivedCredentials,
  parseDeviceId,
  deviceOfKind,
  deviceTopics,
  sessionIdFor,
  controllerClientId,
  generateDevicePassword,
  mosquittoPasswordHash,
  verifyMosquittoPasswordHash,
  type DeviceIdentity,
  type DeviceStore,
  type DeviceCredential,
} from './device-credentials.js';
export { SqliteDeviceStore } from './device-store.js';
export { mosquittoFiles, mosquittoConfLines, buildMosquittoUsers, writeMosquittoFiles, type MosquittoFiles, type MosquittoUser } from './mosquitto-files.js';

/**
 * The HTTP API as small typed calls. Expected failures (400, 401, 404, 409, network) are values,
 * not exceptions: `{ok: false, status, message}`, shown with the server's message.
 */
import type {
  Alert,
  CoverageGrid,
  CreateMissionResponse,
  CreateTripBody,
  CreateUserBody,
  Device,
  DoorMuteBody,
  DoorView,
  Drone,
  FaultKind,
  FeatureCollection,
  Mission,
  MissionPlanResponse,
  ProvisionDeviceBody,
  ProvisionedDevice,
  RobotSummary,
  Round,
  SimInfo,
  Site,
  TripView,
  User,
} from './types.js';
import type { BroadcastSummary, CreateBroadcastBody, LoginReply, ResetPasswordBody, RobotRemovedFromWayReply, SiteEntry } from '../../../protocol/index.js';
import type { Language } from '../i18n/i18n.js';
import { pathBase } from './path-base.js';
import { session } from './session.js';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string; issues?: { path: unknown; message: string }[] };

/**
 * One HTTP call to `url` (`/api/…`) under the page's path base, signed with the session's token;
 * `status` 0 when the network failed. A 401 signs out. A file (Blob) is sent as it is, with its own type.
 */
export async function call<T>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  const token = session.token();
  const file = body instanceof Blob ? body : undefined;
  try {
    response = await fetch(`${pathBase}${url}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': file ? file.type || 'application/octet-stream' : 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : (file ?? JSON.stringify(body)),
    });
  } catch (error) {
    return { ok: false, status: 0, message: error instanceof Error ? error.message : String(error) };
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return { ok: true, value: json as T };
  if (response.status === 401 && url !== '/api/auth/login') session.clear(true);
  const error = (json ?? {}) as { message?: string; error?: string; issues?: { path: unknown; message: string }[] };
  return { ok: false, status: response.status, message: error.message ?? error.error ?? (text || response.statusText), issues: error.issues };
}

export const api = {
  login: (username: string, password: string) => call<LoginReply>('POST', '/api/auth/login', { username, password }),
  logout: () => call<unknown>('POST', '/api/auth/logout'),
  siteMap: () => call<Site>('GET', '/api/site/map'),
  robots: () => call<RobotSummary[]>('GET', '/api/robots'),
  trips: () => call<TripView[]>('GET', '/api/trips'),
  createTrip: (body: CreateTripBody) => call<{ id: string }>('POST', '/api/trips', body),
  confirmTray: (tripId: string, tray: number) => call<unknown>('POST', `/api/trips/${encodeURIComponent(tripId)}/trays/${tray}/loaded`),
  /** Plans the rooms of a trip whose robot dropped out on other robots; answers the rooms planned again. */
  replanTrip: (tripId: string) => call<{ rooms: string[] }>('POST', `/api/trips/${encodeURIComponent(tripId)}/replan`),
  rounds: () => call<Round[]>('GET', '/api/rounds'),
  createRound: (rooms: { room: string; priority?: 'meal' | 'medicine' }[]) => call<Round>('POST', '/api/rounds', { rooms }),
  urgent: (roundId: string, room: string) => call<Round>('POST', `/api/rounds/${encodeURIComponent(roundId)}/urgent`, { room }),
  alerts: () => call<Alert[]>('GET', '/api/alerts'),
  /** Staff took a robot that died inside a single-width way out of it: the way is freed. */
  robotRemovedFromWay: (way: string, robot: string) => call<RobotRemovedFromWayReply>('POST', `/api/ways/${encodeURIComponent(way)}/robot-removed`, { robot }),
  ackAlert: (id: string) => call<unknown>('POST', `/api/alerts/${encodeURIComponent(id)}/ack`),
  doors: () => call<DoorView[]>('GET', '/api/doors'),
  /** Mutes a room's unexpected-open alert (`minutes`, or until lifted), or lifts the mute. */
  muteDoor: (room: string, body: DoorMuteBody) => call<DoorView>('PUT', `/api/doors/${encodeURIComponent(room)}/mute`, body),
  /** Every site of the district with its fleet's health (admin). */
  sites: () => call<SiteEntry[]>('GET', '/api/sites'),
  settings: () => call<{ language: Language }>('GET', '/api/settings'),
  /** The robots' announcement language (the site's, an admin's setting), not the screen's. */
  setLanguage: (language: Language) => call<unknown>('PUT', '/api/settings', { language }),
  sim: () => call<SimInfo>('GET', '/api/sim'),
  setSpeed: (speed: number) => call<unknown>('PUT', '/api/sim/speed', { speed }),
  setMedic: (mode: 'auto' | 'manual') => call<unknown>('PUT', '/api/sim/medic', { mode }),
  fault: (target: string, fault: FaultKind, on: boolean) => call<unknown>('POST', '/api/sim/faults', { target, fault, on }),
  simRound: (rooms: number) => call<unknown>('POST', '/api/sim/rounds', { rooms }),
  drones: () => call<Drone[]>('GET', '/api/drones'),
  createMission: (zones: FeatureCollection) => call<CreateMissionResponse>('POST', '/api/missions', { zones }),
  missions: () => call<Mission[]>('GET', '/api/missions'),
  mission: (id: string) => call<Mission>('GET', `/api/missions/${encodeURIComponent(id)}`),
  missionPlan: (id: string) => call<MissionPlanResponse>('GET', `/api/missions/${encodeURIComponent(id)}/plan`),
  missionAction: (id: string, action: 'clear' | 'launch' | 'pause' | 'resume' | 'return-home' | 'abort') => call<Mission>('POST', `/api/missions/${encodeURIComponent(id)}/${action}`),
  users: () => call<User[]>('GET', '/api/users'),
  createUser: (body: CreateUserBody) => call<User>('POST', '/api/users', body),
  /** Sets a user's password and ends their sessions. */
  resetPassword: (username: string, body: ResetPasswordBody) => call<null>('PUT', `/api/users/${encodeURIComponent(username)}/password`, body),
  /** 409 when `username` is the last admin. */
  deleteUser: (username: string) => call<null>('DELETE', `/api/users/${encodeURIComponent(username)}`),
  devices: () => call<Device[]>('GET', '/api/devices'),
  /** The reply carries the device's MQTT password: the only time the server tells it. */
  provisionDevice: (body: ProvisionDeviceBody) => call<ProvisionedDevice>('POST', '/api/devices', body),
  // A robot's id has a `/`: encodeURIComponent sends it as %2F, as the route expects.
  removeDevice: (id: string) => call<null>('DELETE', `/api/devices/${encodeURIComponent(id)}`),
  coverage: (id: string) => call<CoverageGrid>('GET', `/api/missions/${encodeURIComponent(id)}/coverage`),
  /** Uploads a recording for a broadcast's message: its URL for the drone and its length. */
  uploadBroadcastAudio: (file: Blob) => call<{ url: string; durationS: number; type: string; bytes: number }>('POST', '/api/broadcasts/audio', file),
  createBroadcast: (body: CreateBroadcastBody) => call<{ summary: BroadcastSummary; plan: FeatureCollection }>('POST', '/api/broadcasts', body),
  /** Every broadcast, newest first. */
  broadcasts: () => call<BroadcastSummary[]>('GET', '/api/broadcasts'),
  broadcast: (id: string) => call<BroadcastSummary>('GET', `/api/broadcasts/${encodeURIComponent(id)}`),
  /** The road file a broadcast was planned on, and its stops and sorties. */
  broadcastPlan: (id: string) => call<{ id: string; road: FeatureCollection; plan: FeatureCollection }>('GET', `/api/broadcasts/${encodeURIComponent(id)}/plan`),
  broadcastAction: (id: string, action: 'launch' | 'abort') => call<BroadcastSummary>('POST', `/api/broadcasts/${encodeURIComponent(id)}/${action}`),
};

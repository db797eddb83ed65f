import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import { CONTROLLER_USERNAME } from '../../protocol/index.js';
import { sessionIdFor, derivedDevicePassword, deviceTopics, parseDeviceId, secretsEqual, type DeviceIdentity, type DeviceStore } from '../auth/device-credentials.js';

/** Options of {@link brokerAuth}. */
export interface BrokerAuthOptions {
  /**
   * Provisioned devices (passwords checked against their hashes). A promise while the store is
   * still opening: a device's login waits for it rather than being refused, because mqtt.js does
   * not retry after a refused CONNACK. The controller's login never waits.
   */
  devices?: Pick<DeviceStore, 'verify'> | Promise<Pick<DeviceStore, 'verify'>>;
  /**
   * `ISOFLEET_DEVICE_SECRET`: when set, any well-formed device id also signs in with
   * `derivedDevicePassword(secret, id)`, provisioned or not (development and tests).
   */
  secret?: string;
  /** The `controller` user's password; default `derivedDevicePassword(secret, 'controller')`. */
  controllerPassword?: string;
}

/** The three aedes hooks; spread them into `Aedes.createBroker({ ...brokerAuth(options) })`. */
export type BrokerAuth = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;

/** aedes's CONNACK codes (`AuthErrorCode`, a const enum, so spelt out). */
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;

const refusal = (returnCode: number, message: string) => Object.assign(new Error(message), { returnCode }) as AuthenticateError;

/**
 * Who may connect to the embedded broker and what they may touch: the `controller` user may do
 * anything; a device signs in with its id as username and may publish and subscribe only its own
 * exact topics (see `deviceTopics`: no wildcards, not another device's). Anonymous clients and
 * unknown usernames are refused with CONNACK 4. A device may present any client id; its session
 * is kept under its username (`sessionIdFor`: aedes reads `client.id` for the session only after
 * this hook, so renaming it here binds the session, as Mosquitto's `use_username_as_clientid`).
 * The controller presenting an id other than `controller` or `controller:…` gets CONNACK 2,
 * before aedes touches the session of that id.
 *
 * A refused publish (will messages included, checked when the will would be sent) makes aedes
 * drop the connection; a refused subscription is answered with SUBACK 0x80 and the connection
 * stays. Mosquitto, from the files `mosquitto-files-cli` writes, drops a refused publish
 * silently instead: either way nothing is delivered.
 */
export function brokerAuth(options: BrokerAuthOptions): BrokerAuth {
  const controllerPassword = options.controllerPassword ?? (options.secret !== undefined ? derivedDevicePassword(options.secret, CONTROLLER_USERNAME) : undefined);
  if (controllerPassword === undefined) throw new Error('brokerAuth needs controllerPassword or secret: the controller could not connect');
  const devices = Promise.resolve(options.devices);
  // Who each connected client is; a WeakMap so aedes's client objects stay untouched.
  const identities = new WeakMap<Client, 'controller' | { device: DeviceIdentity; topics: ReturnType<typeof deviceTopics> }>();

  const check = async (username: string | undefined, password: string): Promise<'controller' | DeviceIdentity | undefined> => {
    if (username === undefined) return undefined;
    if (username === CONTROLLER_USERNAME) return secretsEqual(password, controllerPassword) ? 'controller' : undefined;
    const device = parseDeviceId(username);
    if (!device) return undefined;
    if (options.secret !== undefined && secretsEqual(password, derivedDevicePassword(options.secret, device.id))) return device;
    if ((await devices)?.verify(device.id, password)) return device;
    return undefined;
  };

  return {
    authenticate: (client, username, password, done) => {
      check(username, password?.toString('utf8') ?? '').then(
        (who) => {
          if (!who || username === undefined) return done(refusal(BAD_USERNAME_OR_PASSWORD, 'bad username or password'), false);
          const sessionId = sessionIdFor(username, client.id);
          if (sessionId === undefined) return done(refusal(IDENTIFIER_REJECTED, `${username} may not use client id ${client.id}`), false);
          client.id = sessionId;
          identities.set(client, who === 'controller' ? who : { device: who, topics: deviceTopics(who) });
          done(null, true);
        },
        // The device store failed (SQLite threw, or it never opened): who this is cannot be told.
        (error: Error) => done(refusal(SERVER_UNAVAILABLE, `device store: ${error.message}`), false),
      );
    },
    authorizePublish: (client, packet, done) => {
      // client is null for the broker's own publishes ($SYS, retained replays).
      if (client === null) return done(null);
      const who = identities.get(client);
      if (who === 'controller' || who?.topics.publish.includes(packet.topic)) return done(null);
      done(new Error(`${who ? who.device.id : 'an unknown client'} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe: (client, subscription, done) => {
      const who = identities.get(client);
      if (who === 'controller' || who?.topics.subscribe.includes(subscription.topic)) return done(null, subscription);
      // null: SUBACK 0x80 for this filter, the connection stays.
      done(null, null);
    },
  };
}

import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import { CONTROLLER_USERNAME, splitSiteUsername } from '../../protocol/index.js';
import { sessionIdFor, derivedDevicePassword, deviceTopics, parseDeviceId, secretsEqual, withinSite, type DeviceIdentity, type DeviceStore } from '../auth/device-credentials.js';

/** Options of {@link brokerAuth}. */
export interface BrokerAuthOptions {
  /**
   * Provisioned devices (passwords checked against their hashes). A promise while the store is
   * still opening: a device's login waits for it rather than being refused, because mqtt.js does
   * not retry after a refused CONNACK. The controller's login never waits.
   */
  devices?: Pick<DeviceStore, 'verify'> | Promise<Pick<DeviceStore, 'verify'>>;
  /**
   * `ISOFLEET_DEVICE_SECRET`: when set, any well-formed device username (`id` or `id@site`) also
   * signs in with `derivedDevicePassword(secret, username)`, provisioned or not (development and
   * tests), and so does the controller of any site (`controller@site`); the plain `controller`
   * only on a broker without `site`.
   */
  secret?: string;
  /** The controller's password; default `derivedDevicePassword(secret, controller username)`. */
  controllerPassword?: string;
  /**
   * The site of the controller whose broker this is: `devices` are that site's (usernames
   * `id@site`), and the controller signs in as `controller@site`. None: plain usernames.
   */
  site?: string;
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
 * anything, a site's controller (`controller@{site}`) anything within its site's topics
 * (`withinSite`); a device signs in with its id (`@{site}` after it at a site) as username and
 * may publish and subscribe only its own exact topics (see `deviceTopics`: no wildcards, not
 * another device's, not another site's). Anonymous clients and
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
  const ownController = options.site === undefined ? CONTROLLER_USERNAME : `${CONTROLLER_USERNAME}@${options.site}`;
  const controllerPassword = options.controllerPassword ?? (options.secret !== undefined ? derivedDevicePassword(options.secret, ownController) : undefined);
  if (controllerPassword === undefined) throw new Error('brokerAuth needs controllerPassword or secret: the controller could not connect');
  const devices = Promise.resolve(options.devices);
  // Who each connected client is; a WeakMap so aedes's client objects stay untouched.
  // A controller with a site is kept to that site's topics; one without touches everything.
  type Who = { controller: true; site?: string } | { controller?: false; device: DeviceIdentity; topics: ReturnType<typeof deviceTopics> };
  const identities = new WeakMap<Client, Who>();
  const derivedMatches = (username: string, password: string) => options.secret !== undefined && secretsEqual(password, derivedDevicePassword(options.secret, username));

  const check = async (username: string | undefined, password: string): Promise<Who | undefined> => {
    if (username === undefined) return undefined;
    const split = splitSiteUsername(username);
    if (split?.id === CONTROLLER_USERNAME) {
      // A site's broker knows no controller of everything: the plain login would pass the site's ACL.
      if (options.site !== undefined && split.site === undefined) return undefined;
      const ok = username === ownController ? secretsEqual(password, controllerPassword) : derivedMatches(username, password);
      return ok ? { controller: true, ...(split.site === undefined ? {} : { site: split.site }) } : undefined;
    }
    const device = parseDeviceId(username);
    if (!device) return undefined;
    const known = derivedMatches(username, password) || (device.site === options.site && (await devices)?.verify(device.id, password) !== undefined);
    return known ? { device, topics: deviceTopics(device) } : undefined;
  };
  const controllerMay = (who: Who | undefined, topic: string) => who?.controller === true && (who.site === undefined || withinSite(who.site, topic));

  return {
    authenticate: (client, username, password, done) => {
      check(username, password?.toString('utf8') ?? '').then(
        (who) => {
          if (!who || username === undefined) return done(refusal(BAD_USERNAME_OR_PASSWORD, 'bad username or password'), false);
          const sessionId = sessionIdFor(username, client.id);
          if (sessionId === undefined) return done(refusal(IDENTIFIER_REJECTED, `${username} may not use client id ${client.id}`), false);
          client.id = sessionId;
          identities.set(client, who);
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
      if (controllerMay(who, packet.topic) || (who?.controller !== true && who?.topics.publish.includes(packet.topic))) return done(null);
      done(new Error(`${client.id} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe: (client, subscription, done) => {
      const who = identities.get(client);
      if (controllerMay(who, subscription.topic) || (who?.controller !== true && who?.topics.subscribe.includes(subscription.topic))) return done(null, subscription);
      // null: SUBACK 0x80 for this filter, the connection stays.
      done(null, null);
    },
  };
}

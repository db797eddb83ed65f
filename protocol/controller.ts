import { isofleetInterfaceName } from './site-id.js';

/**
 * The controller's own topic (under its site's, see `isofleetInterfaceName`): it publishes a QoS 1 message here and times its return through the
 * broker (the MQTT round trip of `/metrics`). Only the controller that owns `run` (an id of its
 * process) publishes or subscribes to it.
 */
export const controllerPingTopic = (run: string, site?: string): string => `${isofleetInterfaceName(site)}/v1/controller/${run}/ping`;

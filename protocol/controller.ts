/**
 * The controller's own topic: it publishes a QoS 1 message here and times its return through the
 * broker (the MQTT round trip of `/metrics`). Only the controller that owns `run` (an id of its
 * process) publishes or subscribes to it.
 */
export const controllerPingTopic = (run: string): string => `isofleet/v1/controller/${run}/ping`;

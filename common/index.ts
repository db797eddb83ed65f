/** What the controller, the bridges and the simulator share beyond the wire contract: the MQTT client and the logger's shape. */
export { connectMqtt, type LinkGate, type MqttCredentials } from './mqtt/connect-mqtt.js';
export type { Logger } from './logger.js';

import { requireTools } from './tools.js';

/** `npm test`: the Mosquitto tests are skipped without Mosquitto, and say so once. */
export default requireTools('mosquitto', 'mosquitto_passwd');

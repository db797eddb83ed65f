import { requireTools } from './tools.js';

/** `npm test`: the tests that need Mosquitto or PostgreSQL are skipped without them, and say so once. */
export default requireTools('mosquitto', 'mosquitto_passwd', 'postgres');

import { requireTools } from '../../test-support/tools.js';

/** `npm run test:e2e`: the browser tests are skipped without Chromium, and say so once. */
export default requireTools('chromium');

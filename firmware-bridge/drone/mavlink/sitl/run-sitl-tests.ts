/**
 * `npm run test:sitl`: the MAVLink driver against ArduCopter's own flight code (SITL). Needs
 * `ARDUPILOT_SITL`, the path to an `arducopter` SITL binary built from ArduPilot's source
 * (Copter 4.6.x; `./waf configure --board sitl && ./waf copter`), and optionally
 * `ARDUPILOT_DEFAULTS`, its `Tools/autotest/default_params/copter.parm` (found above the binary
 * in its source tree by default). Not part of `npm test`: nothing built from ArduPilot's source
 * is in the repo or CI.
 */
import { spawnSync } from 'node:child_process';
import { sitlBinaryFromEnv } from '../../../../sim/drone/ardupilot-sitl.js';

const binary = sitlBinaryFromEnv();
if (!binary.ok) {
  process.stderr.write(`npm run test:sitl ${binary.message}\n`);
  process.exit(1);
}
const run = spawnSync('npx', ['vitest', 'run', '--config', 'firmware-bridge/drone/mavlink/sitl/vitest.sitl.config.ts'], { stdio: 'inherit' });
process.exit(run.status ?? 1);

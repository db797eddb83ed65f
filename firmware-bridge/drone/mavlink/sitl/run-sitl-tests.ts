/**
 * `npm run test:sitl`: the MAVLink driver against ArduCopter's own flight code (SITL). Needs
 * `ARDUPILOT_SITL`, the path to an `arducopter` SITL binary built from ArduPilot's source
 * (Copter 4.6.x; `./waf configure --board sitl && ./waf copter`), and optionally
 * `ARDUPILOT_DEFAULTS`, its `Tools/autotest/default_params/copter.parm` (found beside a build
 * tree by default). Not part of `npm test`: nothing built from ArduPilot's source is in the repo or CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const binary = process.env.ARDUPILOT_SITL;
if (!binary) {
  process.stderr.write('npm run test:sitl needs ARDUPILOT_SITL: the path to an ArduCopter SITL binary (arducopter, built with ./waf configure --board sitl && ./waf copter)\n');
  process.exit(1);
}
if (!existsSync(binary)) {
  process.stderr.write(`ARDUPILOT_SITL=${binary}: no such file\n`);
  process.exit(1);
}
const run = spawnSync('npx', ['vitest', 'run', '--config', 'firmware-bridge/drone/mavlink/sitl/vitest.sitl.config.ts'], { stdio: 'inherit' });
process.exit(run.status ?? 1);

// postinstall: rclnodejs is an optional dependency that builds only where ROS 2 is sourced; elsewhere
// npm drops it after its build fails, and the TypeScript check loses the declarations the ROS 2 code
// is written against. This puts the package back unbuilt (--ignore-scripts: declarations and
// JavaScript only), at the version the lockfile pins. A machine where it built is left alone.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

if (!existsSync('node_modules/rclnodejs/package.json')) {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const version = lock.packages?.['node_modules/rclnodejs']?.version;
  if (version) {
    process.stderr.write(`rclnodejs did not build here (no ROS 2): installing ${version} without its build, for its TypeScript declarations\n`);
    execFileSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `rclnodejs@${version}`], { stdio: 'inherit' });
  }
}

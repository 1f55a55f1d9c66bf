#!/usr/bin/env node
'use strict';
// Launcher committed so that npm can link it at install time, before `npm run build` creates dist/.
const path = require('node:path');
const fs = require('node:fs');

const dist = path.join(__dirname, '..', 'dist');
if (!fs.existsSync(path.join(dist, 'src', 'main.js'))) {
  console.error('compliance-pulse-exporter: not built yet, run `npm run build` at the repository root');
  process.exit(1);
}
const { main } = require(path.join(dist, 'src', 'main.js'));
// --demo starts the simulated AWS account beside the exporter. It is wired here, outside src/, so that
// production code never imports the simulator.
const wantsDemo = process.argv.slice(2).some((arg) => arg === '--demo' || arg.startsWith('--demo='));
const demo = wantsDemo ? require(path.join(dist, 'simulator', 'demo.js')) : undefined;
main(process.argv.slice(2), { startDemoAccount: demo && demo.startDemoAccount });

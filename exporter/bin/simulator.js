#!/usr/bin/env node
'use strict';
// Launcher committed so that npm can link it at install time, before `npm run build` creates dist/.
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'simulator', 'cli.js');
if (!fs.existsSync(entry)) {
  console.error('compliance-pulse-simulator: not built yet, run `npm run build` at the repository root');
  process.exit(1);
}
require(entry).runCli(process.argv.slice(2));

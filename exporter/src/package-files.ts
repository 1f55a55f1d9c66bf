import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The exporter package's root folder, found from this file whether it runs from src/ (tests) or dist/src/. */
function findPackageRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'compliance-pulse-exporter') return dir;
  }
  throw new Error('cannot find the compliance-pulse-exporter package root');
}

const root = findPackageRoot();

export const packageVersion: string = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** Built-in data shipped with the package (the Security Hub controls catalog). */
export const dataFile = (name: string): string => join(root, 'data', name);

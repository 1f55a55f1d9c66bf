import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/errors';
import { readYamlObject } from '../config/load';
import { dataFile } from '../package-files';
import { Catalog, catalogOverrideSchema } from './catalog';

/** The built-in Security Hub catalog, with the user's overrides file applied when given. */
export function loadCatalog(overridesFile: string | undefined): Catalog {
  const controls = readFileSync(dataFile('security-hub-controls.csv'), 'utf8');
  if (overridesFile === undefined) return new Catalog(controls);
  const parsed = catalogOverrideSchema.safeParse(readYamlObject(overridesFile, '--catalog.file'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`--catalog.file: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`);
  }
  return new Catalog(controls, parsed.data);
}

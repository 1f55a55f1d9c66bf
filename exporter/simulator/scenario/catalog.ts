import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project's built-in data (exporter/data/*.csv): the 317 Config managed rules and the Security Hub
 * controls. Scenarios draw rules, resource types and remediation runbooks from it.
 */
export interface ManagedRule {
  readonly name: string;
  readonly sourceIdentifier: string;
  readonly resourceTypes: readonly string[];
  readonly periodic: boolean;
  readonly changeTriggered: boolean;
}

export interface Control {
  readonly configRule: string;
  readonly controlId: string;
  readonly title: string;
  readonly severity: string;
  /** AWS-owned runbooks listed for the control, without annotations. */
  readonly runbooks: readonly string[];
}

export interface Catalog {
  readonly managedRules: readonly ManagedRule[];
  readonly rule: (name: string) => ManagedRule | undefined;
  readonly controls: (ruleName: string) => readonly Control[];
  /** The first AWS-owned runbook listed for a rule's controls, if any. */
  readonly runbook: (ruleName: string) => string | undefined;
}

/**
 * RFC 4180-style parsing: quoted fields may hold commas and doubled quotes. The simulator keeps its own
 * parser rather than src/'s: the exporter is tested against it, and a bug the two shared would hide itself.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

function records(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** exporter/data, found from this file whether it runs from sources or from dist/. */
export function findDataDir(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'data');
    if (existsSync(join(candidate, 'config-managed-rules.csv'))) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`simulator: cannot find data/config-managed-rules.csv above ${start}`);
  }
}

export function loadCatalog(dataDir = findDataDir()): Catalog {
  const managedRules: ManagedRule[] = records(
    readFileSync(join(dataDir, 'config-managed-rules.csv'), 'utf8'),
  ).map((r) => {
    const trigger = r['trigger_type'] ?? '';
    return {
      name: r['rule_name'] ?? '',
      sourceIdentifier: r['source_identifier'] ?? '',
      resourceTypes: (r['resource_types'] ?? '').split(';').filter((t) => t !== ''),
      periodic: trigger.includes('Periodic'),
      changeTriggered: trigger.includes('Configuration changes'),
    };
  });
  const byName = new Map(managedRules.map((r) => [r.name, r]));
  const controls = new Map<string, Control[]>();
  for (const r of records(readFileSync(join(dataDir, 'security-hub-controls.csv'), 'utf8'))) {
    const configRule = r['config_rule'] ?? '';
    const controlId = r['control_id'] ?? '';
    if (configRule === '' || controlId === '') continue;
    const runbooks = (r['ssm_runbook'] ?? '')
      .split(';')
      .map((s) => s.trim().replace(/\s*\(.*$/, ''))
      .filter((s) => /^[\w.-]+$/.test(s));
    const list = controls.get(configRule) ?? [];
    list.push({ configRule, controlId, title: r['title'] ?? '', severity: r['severity'] ?? '', runbooks });
    controls.set(configRule, list);
  }
  return {
    managedRules,
    rule: (name) => byName.get(name),
    controls: (ruleName) => controls.get(ruleName) ?? [],
    runbook: (ruleName) => (controls.get(ruleName) ?? []).flatMap((c) => c.runbooks)[0],
  };
}

import { z } from 'zod';
import { SEVERITIES, type ConfigRule, type Severity } from '../model';
import { parseCsv } from './csv';

export interface RuleClassification {
  controlId: string;
  title: string;
  severity: Severity;
  /** Owned by another AWS service (Security Hub): read-only, and Config refuses its per-resource results. */
  serviceLinked: boolean;
}

interface Control {
  configRule: string;
  sourceIdentifier: string;
  controlId: string;
  title: string;
  severity: Severity;
}

const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 5, HIGH: 4, MEDIUM: 3, LOW: 2, INFORMATIONAL: 1, UNKNOWN: 0 };
/** Security Hub names its copies `securityhub-<created rule name>-<8 hex>`. */
const SECURITY_HUB_NAME = /^securityhub-(.+)-[0-9a-f]{8}$/;

const overrideEntry = z.strictObject({
  severity: z.enum(SEVERITIES),
  control_id: z.string().optional(),
  title: z.string().optional(),
});
export const catalogOverrideSchema = z.strictObject({
  rules: z.record(z.string(), overrideEntry).default({}),
  source_identifiers: z.record(z.string(), overrideEntry).default({}),
});
export type CatalogOverrides = z.output<typeof catalogOverrideSchema>;

/**
 * Joins Config rules to Security Hub controls: by the rule's name (customer copies and Security Hub's
 * `securityhub-…` copies), then by its managed-rule source identifier, so a rule called
 * `my-team-s3-public-read` with source S3_BUCKET_PUBLIC_READ_PROHIBITED still lands on S3.2 (CRITICAL).
 */
export class Catalog {
  private readonly byRule = new Map<string, Control[]>();
  private readonly bySource = new Map<string, Control[]>();

  constructor(
    controlsCsv: string,
    private readonly overrides: CatalogOverrides = { rules: {}, source_identifiers: {} },
  ) {
    for (const row of parseCsv(controlsCsv)) {
      const severity = (SEVERITIES as readonly string[]).includes(row.severity ?? '') ? (row.severity as Severity) : 'UNKNOWN';
      if (!row.control_id) continue;
      const control: Control = {
        configRule: row.config_rule ?? '',
        sourceIdentifier: row.source_identifier ?? '',
        controlId: row.control_id,
        title: row.title ?? '',
        severity,
      };
      if (control.configRule) push(this.byRule, control.configRule, control);
      if (control.sourceIdentifier) push(this.bySource, control.sourceIdentifier, control);
    }
  }

  get size(): number {
    return this.byRule.size;
  }

  classify(rule: Pick<ConfigRule, 'name' | 'sourceOwner' | 'sourceIdentifier' | 'createdBy'>): RuleClassification {
    const hubMatch = SECURITY_HUB_NAME.exec(rule.name);
    const serviceLinked = rule.createdBy !== undefined || hubMatch !== null;
    const baseName = hubMatch ? (hubMatch[1] as string) : rule.name;
    const managedSource = rule.sourceOwner === 'AWS' ? rule.sourceIdentifier : '';

    const override = this.overrides.rules[rule.name] ?? (managedSource ? this.overrides.source_identifiers[managedSource] : undefined);
    const candidates = this.byRule.get(baseName) ?? (managedSource ? this.bySource.get(managedSource) : undefined) ?? [];
    // One managed rule can back several controls (restricted-common-ports: EC2.14 HIGH and EC2.19 CRITICAL);
    // without more to go on, the most severe one is the safe answer for a security team.
    const control = [...candidates].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.controlId.localeCompare(b.controlId))[0];

    if (override) {
      return {
        controlId: override.control_id ?? control?.controlId ?? '',
        title: override.title ?? control?.title ?? '',
        severity: override.severity,
        serviceLinked,
      };
    }
    if (control) return { controlId: control.controlId, title: control.title, severity: control.severity, serviceLinked };
    return { controlId: '', title: '', severity: 'UNKNOWN', serviceLinked };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

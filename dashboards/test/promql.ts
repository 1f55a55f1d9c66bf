import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROMETHEUS } from '../src/datasources';
import { PACKAGE_DIR } from '../src/render';
import { annotationsOf, type Json, panelsOf, targetsOf, variablesOf } from './dashboard-json';

/** Every PromQL expression of a dashboard, with where it is, and template variables as Grafana leaves them. */
export interface PromExpression {
  where: string;
  expr: string;
}

const LABEL_VALUES = /^label_values\((.*),\s*\w+\)$/s;

export function promExpressions(dashboard: Json): PromExpression[] {
  const found: PromExpression[] = [];
  const name = String(dashboard.uid);
  for (const panel of panelsOf(dashboard)) {
    for (const target of targetsOf(panel)) {
      if ((target.datasource as Json | undefined)?.uid === PROMETHEUS.uid) {
        found.push({
          where: `${name} panel ${String(panel.id)} ${String(target.refId)}`,
          expr: String(target.expr),
        });
      }
    }
  }
  for (const variable of variablesOf(dashboard)) {
    if ((variable.datasource as Json | undefined)?.uid === PROMETHEUS.uid) {
      // label_values(<selector>, <label>): the selector is the PromQL part.
      const query = String(variable.query);
      found.push({
        where: `${name} variable ${String(variable.name)}`,
        expr: LABEL_VALUES.exec(query)?.[1] ?? query,
      });
    }
  }
  for (const annotation of annotationsOf(dashboard)) {
    if ((annotation.datasource as Json | undefined)?.uid === PROMETHEUS.uid) {
      found.push({ where: `${name} annotation ${String(annotation.name)}`, expr: String(annotation.expr) });
    }
  }
  return found;
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names an expression selects. A small scanner, not a parser: it drops strings, label matchers, ranges and
 * label lists, then takes every identifier that is not a keyword, a number or a function call.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?\w+/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const before = stripped[match.index - 1] ?? ' ';
    const after = stripped.slice(match.index + match[0].length).trimStart();
    if (/[0-9.]/.test(before) || after.startsWith('(') || KEYWORDS.has(match[0].toLowerCase())) {
      continue;
    }
    names.add(match[0]);
  }
  return [...names];
}

const REPO_DIR = join(PACKAGE_DIR, '..');
export const METRICS_DOC = join(REPO_DIR, 'docs', 'metrics.md');
export const RECORDING_RULES = join(
  REPO_DIR,
  'provisioning',
  'prometheus',
  'rules',
  'compliance-pulse.recording.yml',
);

/** Metric names docs/metrics.md lists (histograms with their _bucket, _count and _sum series). */
export function documentedMetrics(markdown = readFileSync(METRICS_DOC, 'utf8')): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of markdown.matchAll(/^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|\s*(\w+)/gm)) {
    names.add(name!);
    if (type === 'histogram') {
      for (const suffix of ['_bucket', '_count', '_sum']) {
        names.add(`${name!}${suffix}`);
      }
    }
  }
  return names;
}

export function recordedMetrics(rules = readFileSync(RECORDING_RULES, 'utf8')): Set<string> {
  return new Set([...rules.matchAll(/^\s*-\s*record:\s*(\S+)\s*$/gm)].map(([, name]) => name!));
}

/** The expression with every template variable replaced by a plain value, as promtool can parse it. */
export function withoutVariables(expr: string): string {
  return expr.replace(/\$\{[^}]+\}|\$\w+/g, 'x');
}

import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { PROMETHEUS } from './datasources';
import { DAILY_UID, dashboardUrl, headerLink, RULES_UID, WALL_SCREEN_UID } from './links';
import {
  RATIO_STEPS,
  barGaugePanel,
  collectingMappings,
  link,
  nothingToMeasureMapping,
  prometheusInstant,
  prometheusTable,
  SEVERITY_COLORS,
  STALE_MAPPING,
  STALE_TEXT,
  statPanel,
  titleCase,
  type Severity,
} from './panels';
import { dataAgeStat } from './freshness';
import { IN_SCOPE, orNothingToMeasure, whileCovered, whileFresh } from './promql';
import { prometheusVariable } from './variables';

/**
 * "Security process – now": the wall screen, a 1080p TV seen from 3 m in kiosk mode. Only big stats and bar gauges
 * (no tables, no small print), all instant queries, every number gated on the freshness of the data it comes from:
 * stale data reads "STALE" in red instead of an old number. Every number over a window (24 h, 7 days) is also gated
 * on Prometheus having that whole window: until then it reads "collecting: 3 h of 24 h" (promql.ts `whileCovered`).
 * 24 × 27 grid units fill the screen without scrolling.
 */

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Time-to-remediate objectives of the alert rules (provisioning/prometheus/rules, docs/alerts.md). */
const OBJECTIVES: [[Severity, number], ...[Severity, number][]] = [
  ['CRITICAL', 4 * HOUR],
  ['HIGH', DAY],
  ['MEDIUM', 7 * DAY],
];

const LARGEST_FIRST = { field: 'Value', desc: true };

const ZERO_IS_GOOD: [number | null, string][] = [
  [null, 'green'],
  [1, 'red'],
];

function openFindings(severity: Severity, id: number, x: number, y: number, h: number) {
  return statPanel(
    {
      id,
      title: `Open findings: ${titleCase(severity)}`,
      description:
        `Open findings of ${severity} Config rules: (rule, resource) pairs that are NON_COMPLIANT, in the selected ` +
        "accounts and regions; exact beyond Config's cap of 100, and also when read through an aggregator. " +
        'Rules whose count Config withholds (service-linked rules above the cap) are not in it. "STALE" when a ' +
        'Config poll of any of them is 15 minutes old or more.',
      gridPos: { x, y, w: 4, h },
      unit: 'none',
    },
    PROMETHEUS,
    [
      prometheusInstant(
        'A',
        // A severity without rules has no series at all: that is 0 findings, not stale data.
        whileFresh(
          `sum(aws_config_rule_noncompliant_resources{severity="${severity}", ${IN_SCOPE}}) or vector(0)`,
          'config',
        ),
      ),
    ],
    [
      [null, 'green'],
      [1, SEVERITY_COLORS[severity]],
    ],
  )
    .decimals(0)
    .mappings([STALE_MAPPING])
    .links([
      link(`${titleCase(severity)} rules and findings`, dashboardUrl(RULES_UID, { set: { severity } })),
    ]);
}

function timeToRemediate(quantile: 0.5 | 0.95, id: number, x: number, y: number) {
  const name = quantile === 0.5 ? 'median' : '95th percentile';
  const panel = statPanel(
    {
      id,
      title: `Time to remediate, ${name} of fixes in the last 24 h`,
      description:
        `From first seen NON_COMPLIANT to COMPLIANT (or gone), ${name} of the findings fixed in the last 24 hours. ` +
        'Red above the objective: CRITICAL 4 h, HIGH 24 h, MEDIUM 7 days. "no fixes" when nothing was fixed. ' +
        'A value in the last histogram bucket reads as its bound (30 days). "collecting" while Prometheus has ' +
        'less than 24 hours of Config data.',
      gridPos: { x, y, w: 6, h: 7 },
      unit: 's',
    },
    PROMETHEUS,
    OBJECTIVES.map(([severity], index) =>
      prometheusInstant(
        String.fromCharCode(65 + index),
        whileFresh(
          whileCovered(
            orNothingToMeasure(
              `histogram_quantile(${quantile}, sum by (le) (` +
                `account_region_severity_le:aws_config_time_to_remediate_seconds_bucket:increase1d{severity="${severity}", ${IN_SCOPE}}` +
                ')) >= 0',
            ),
            'config',
            DAY,
          ),
          'config',
        ),
        titleCase(severity),
      ),
    ),
    // Each severity gets its own objective below; the default is the strictest one.
    [
      [null, 'green'],
      [OBJECTIVES[0][1], 'red'],
    ],
  )
    .decimals(1)
    .mappings([STALE_MAPPING, nothingToMeasureMapping('no fixes'), ...collectingMappings(DAY)]);
  for (const [severity, objective] of OBJECTIVES) {
    panel.overrideByName(titleCase(severity), [
      {
        id: 'thresholds',
        value: {
          mode: dashboard.ThresholdsMode.Absolute,
          steps: [
            { value: null, color: 'green' },
            { value: objective, color: 'red' },
          ],
        },
      },
    ]);
  }
  return panel;
}

function successRatio(window: '1d' | '7d', id: number, x: number, y: number) {
  const label = window === '1d' ? 'last 24 h' : 'last 7 days';
  const windowSeconds = window === '1d' ? DAY : 7 * DAY;
  return statPanel(
    {
      id,
      title: `Remediation success, ${label}`,
      description:
        `Share of the Config remediation executions that finished in the ${label} and succeeded. ` +
        'Red below 80 %, orange below 95 %; "no runs" when none finished; "collecting" while Prometheus has less ' +
        `than the ${label} of remediation data.`,
      gridPos: { x, y, w: 4, h: 5 },
      unit: 'percentunit',
    },
    PROMETHEUS,
    [
      prometheusInstant(
        'A',
        whileFresh(
          whileCovered(
            orNothingToMeasure(
              '1 - (\n' +
                `  (sum(account_region:aws_config_remediation_execution_failures:increase${window}{${IN_SCOPE}}) or vector(0))\n` +
                `  / (sum(account_region:aws_config_remediation_executions:increase${window}{${IN_SCOPE}}) > 0)\n` +
                ')',
            ),
            'remediation',
            windowSeconds,
          ),
          'remediation',
        ),
      ),
    ],
    RATIO_STEPS,
  )
    .decimals(1)
    .mappings([STALE_MAPPING, nothingToMeasureMapping('no runs'), ...collectingMappings(windowSeconds)]);
}

export function wallScreen(): dashboard.DashboardBuilder {
  return (
    new dashboard.DashboardBuilder('Security process – now')
      .uid(WALL_SCREEN_UID)
      .description(
        'Wall screen: open findings, remediation and exporter freshness right now. Kiosk mode on a 1080p TV.',
      )
      .tags(['compliance-pulse', 'wall-screen'])
      .readonly()
      .time({ from: 'now-24h', to: 'now' })
      .refresh('1m')
      .timezone('browser')
      .tooltip(dashboard.DashboardCursorSync.Off)
      .withVariable(
        prometheusVariable(
          'account_id',
          'Account',
          'label_values(compliance_pulse_poll_success, account_id)',
        ),
      )
      .withVariable(
        prometheusVariable(
          'region',
          'Region',
          'label_values(compliance_pulse_poll_success{account_id=~"$account_id"}, region)',
        ),
      )
      .annotations([])
      .link(headerLink('Daily indicators', DAILY_UID, false))
      .link(headerLink('Rules and resources', RULES_UID, true))
      // Row 1: freshness first, then the four severities that matter most, then the compliance score.
      .withPanel(dataAgeStat(1, { x: 0, y: 0, w: 4, h: 7 }))
      .withPanel(openFindings('CRITICAL', 2, 4, 0, 7))
      .withPanel(openFindings('HIGH', 3, 8, 0, 7))
      .withPanel(openFindings('MEDIUM', 4, 12, 0, 7))
      .withPanel(openFindings('LOW', 5, 16, 0, 7))
      .withPanel(
        statPanel(
          {
            id: 6,
            title: 'Compliance score: compliant share of rule evaluations',
            description:
              'COMPLIANT / (COMPLIANT + NON_COMPLIANT) over the current per-resource results of every rule whose ' +
              'results are readable (the JSON API `compliance_score.evaluations`). Red below 80 %, orange below 95 %.',
            gridPos: { x: 20, y: 0, w: 4, h: 7 },
            unit: 'percentunit',
          },
          PROMETHEUS,
          [
            prometheusInstant(
              'A',
              whileFresh(
                orNothingToMeasure(
                  `(sum(aws_config_rule_evaluations{compliance="COMPLIANT", ${IN_SCOPE}}) or vector(0))\n` +
                    `/ (sum(aws_config_rule_evaluations{${IN_SCOPE}}) > 0)`,
                ),
                'config',
              ),
            ),
          ],
          RATIO_STEPS,
        )
          .decimals(1)
          .mappings([STALE_MAPPING, nothingToMeasureMapping('no evaluations')]),
      )
      // Row 2: the two small severities, then remediation right now.
      .withPanel(openFindings('INFORMATIONAL', 7, 0, 7, 5))
      .withPanel(openFindings('UNKNOWN', 8, 4, 7, 5))
      .withPanel(successRatio('1d', 9, 8, 7))
      .withPanel(successRatio('7d', 10, 12, 7))
      .withPanel(
        statPanel(
          {
            id: 11,
            title: 'Remediations queued or running now',
            description: 'Config remediation executions QUEUED or IN_PROGRESS right now. Orange from 10.',
            gridPos: { x: 16, y: 7, w: 4, h: 5 },
            unit: 'none',
          },
          PROMETHEUS,
          [
            prometheusInstant(
              'A',
              whileFresh(
                `sum(account_region:aws_config_remediations_in_progress:sum{${IN_SCOPE}}) or vector(0)`,
                'remediation',
              ),
            ),
          ],
          [
            [null, 'green'],
            [10, 'orange'],
          ],
        )
          .decimals(0)
          .mappings([STALE_MAPPING]),
      )
      .withPanel(
        statPanel(
          {
            id: 12,
            title: 'Failed remediations, last 24 h',
            description:
              'Config remediation executions that finished FAILED in the last 24 hours; "collecting" while ' +
              'Prometheus has less than 24 hours of remediation data.',
            gridPos: { x: 20, y: 7, w: 4, h: 5 },
            unit: 'none',
          },
          PROMETHEUS,
          [
            prometheusInstant(
              'A',
              whileFresh(
                whileCovered(
                  `round(sum(account_region:aws_config_remediation_execution_failures:increase1d{${IN_SCOPE}})) or vector(0)`,
                  'remediation',
                  DAY,
                ),
                'remediation',
              ),
            ),
          ],
          ZERO_IS_GOOD,
        )
          .decimals(0)
          .mappings([STALE_MAPPING, ...collectingMappings(DAY)])
          .links([link('Failed remediations with their messages', dashboardUrl(RULES_UID))]),
      )
      // Row 3: time to remediate, and why remediations failed.
      .withPanel(timeToRemediate(0.5, 13, 0, 12))
      .withPanel(timeToRemediate(0.95, 14, 6, 12))
      .withPanel(
        barGaugePanel(
          {
            id: 15,
            title: 'Failed remediations in the last 24 h, by reason',
            description:
              'Config remediation executions that failed in the last 24 hours, by classified reason (access_denied, ' +
              'throttled, timeout, resource_not_found, invalid_parameter, other). The messages are on "Rules and resources". ' +
              '"collecting" while Prometheus has less than 24 hours of remediation data.',
            gridPos: { x: 12, y: 12, w: 12, h: 7 },
            unit: 'none',
          },
          PROMETHEUS,
          [
            prometheusTable(
              'A',
              whileFresh(
                whileCovered(
                  `round(sum by (reason) (account_region_reason:aws_config_remediation_execution_failures:increase1d{${IN_SCOPE}}))`,
                  'remediation',
                  DAY,
                  { reason: 'all reasons' },
                ),
                'remediation',
              ),
            ),
          ],
          ZERO_IS_GOOD,
          LARGEST_FIRST,
        )
          .decimals(0)
          .noValue(STALE_TEXT)
          .mappings([STALE_MAPPING, ...collectingMappings(DAY)])
          .links([link('Failed remediations with their messages', dashboardUrl(RULES_UID))]),
      )
      // Row 4: where the findings and the failures are.
      .withPanel(
        barGaugePanel(
          {
            id: 16,
            title: 'Top 10 rules by noncompliant resources',
            description:
              'Current NON_COMPLIANT per-resource results per Config rule (rules whose results are readable), ' +
              'largest first. Click a bar for the rule on "Rules and resources".',
            gridPos: { x: 0, y: 19, w: 12, h: 8 },
            unit: 'none',
          },
          PROMETHEUS,
          [
            prometheusTable(
              'A',
              whileFresh(
                'topk(10,\n' +
                  `  sum by (rule) (aws_config_rule_evaluations{compliance="NON_COMPLIANT", ${IN_SCOPE}})\n` +
                  `  or sum by (rule) (aws_config_rule_evaluations{${IN_SCOPE}}) * 0\n` +
                  ')',
                'config',
              ),
            ),
          ],
          ZERO_IS_GOOD,
          LARGEST_FIRST,
        )
          .decimals(0)
          .noValue(STALE_TEXT)
          .mappings([STALE_MAPPING])
          .dataLinks([
            link(
              'Rule ${__data.fields.rule}',
              dashboardUrl(RULES_UID, { set: { rule: '${__data.fields.rule}' } }),
            ),
          ]),
      )
      .withPanel(
        barGaugePanel(
          {
            id: 17,
            title: 'Top 10 rules by failed remediations, last 24 h',
            description:
              'Config remediation executions that failed in the last 24 hours per rule with a remediation ' +
              "configuration, largest first. Click a bar for the rule's executions and failure messages. " +
              '"collecting" while Prometheus has less than 24 hours of remediation data.',
            gridPos: { x: 12, y: 19, w: 12, h: 8 },
            unit: 'none',
          },
          PROMETHEUS,
          [
            prometheusTable(
              'A',
              whileFresh(
                whileCovered(
                  'topk(10, round(sum by (rule) (\n' +
                    `  account_region_rule:aws_config_remediation_execution_failures:increase1d{${IN_SCOPE}}\n` +
                    ')))',
                  'remediation',
                  DAY,
                  { rule: 'all rules' },
                ),
                'remediation',
              ),
            ),
          ],
          ZERO_IS_GOOD,
          LARGEST_FIRST,
        )
          .decimals(0)
          .noValue(STALE_TEXT)
          .mappings([STALE_MAPPING, ...collectingMappings(DAY)])
          .dataLinks([
            link(
              'Rule ${__data.fields.rule}',
              dashboardUrl(RULES_UID, { set: { rule: '${__data.fields.rule}' } }),
            ),
          ]),
      )
  );
}

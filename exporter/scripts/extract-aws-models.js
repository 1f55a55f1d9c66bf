#!/usr/bin/env node
'use strict';
// Dev-only: trims AWS's official Smithy JSON models to the shapes the simulator's operations reach, without
// documentation, and writes them to test/fixtures/aws-models/ for the conformance tests. Run it again when
// the simulator gains an operation:
//
//   node exporter/scripts/extract-aws-models.js [/path/to/aws-models]   (default: /work/shared/aws-models)
//
// The source is aws/api-models-aws (config-service 2014-11-12, ssm 2014-11-06). Members that the installed
// SDK knows but that model snapshot lacks are added from OVERLAYS and marked with an `x-source` trait.
const fs = require('node:fs');
const path = require('node:path');

const SOURCE_DIR = process.argv[2] ?? '/work/shared/aws-models';
const OUT_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'aws-models');

const SERVICES = [
  {
    file: 'config-service-2014-11-12.json',
    out: 'config-service.json',
    namespace: 'com.amazonaws.configservice',
    service: 'StarlingDoveService',
    operations: [
      'DescribeConfigRules',
      'DescribeComplianceByConfigRule',
      'GetComplianceDetailsByConfigRule',
      'GetComplianceSummaryByConfigRule',
      'GetComplianceSummaryByResourceType',
      'DescribeConfigRuleEvaluationStatus',
      'DescribeRemediationConfigurations',
      'DescribeRemediationExecutionStatus',
      'DescribeRemediationExceptions',
      'DescribeConfigurationAggregators',
      'DescribeAggregateComplianceByConfigRules',
      'GetAggregateComplianceDetailsByConfigRule',
      'GetAggregateConfigRuleComplianceSummary',
      'DescribeConformancePackCompliance',
      'ListConformancePackComplianceScores',
    ],
    overlays: {
      // RuleEvaluationVisibility is in @aws-sdk/client-config-service 3.1124.0 but not in the model snapshot.
      'com.amazonaws.configservice#RuleEvaluationVisibility': {
        type: 'enum',
        members: {
          EXTERNAL: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'EXTERNAL' } },
          INTERNAL: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'INTERNAL' } },
        },
        traits: { 'x-source': '@aws-sdk/client-config-service@3.1124.0' },
      },
    },
    memberOverlays: {
      'com.amazonaws.configservice#ConfigRule': {
        RuleEvaluationVisibility: {
          target: 'com.amazonaws.configservice#RuleEvaluationVisibility',
          traits: { 'x-source': '@aws-sdk/client-config-service@3.1124.0' },
        },
      },
      'com.amazonaws.configservice#DescribeConfigRulesFilters': {
        RuleEvaluationVisibility: {
          target: 'com.amazonaws.configservice#RuleEvaluationVisibility',
          traits: { 'x-source': '@aws-sdk/client-config-service@3.1124.0' },
        },
      },
    },
  },
  {
    file: 'ssm-2014-11-06.json',
    out: 'ssm.json',
    namespace: 'com.amazonaws.ssm',
    service: 'AmazonSSM',
    operations: [
      'DescribeAutomationExecutions',
      'GetAutomationExecution',
      'DescribeAutomationStepExecutions',
      'DescribeDocument',
      'ListDocuments',
    ],
    overlays: {},
    memberOverlays: {},
  },
];

const DROPPED_TRAITS = [
  /^smithy\.api#documentation$/,
  /^smithy\.api#examples$/,
  /^smithy\.rules#/,
  /^smithy\.api#externalDocumentation$/,
];
const SERVICE_TRAITS = ['aws.api#service', 'aws.auth#sigv4', 'aws.protocols#awsJson1_1', 'smithy.api#title'];

function stripTraits(traits) {
  if (!traits) return undefined;
  const kept = Object.fromEntries(
    Object.entries(traits).filter(([name]) => !DROPPED_TRAITS.some((re) => re.test(name))),
  );
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function stripShape(shape) {
  const out = { ...shape };
  const traits = stripTraits(shape.traits);
  if (traits) out.traits = traits;
  else delete out.traits;
  if (shape.members) {
    out.members = Object.fromEntries(
      Object.entries(shape.members).map(([name, member]) => {
        const m = { ...member };
        const t = stripTraits(member.traits);
        if (t) m.traits = t;
        else delete m.traits;
        return [name, m];
      }),
    );
  }
  return out;
}

function targetsOf(shape) {
  const targets = [];
  if (shape.input) targets.push(shape.input.target);
  if (shape.output) targets.push(shape.output.target);
  for (const e of shape.errors ?? []) targets.push(e.target);
  for (const m of Object.values(shape.members ?? {})) targets.push(m.target);
  if (shape.member) targets.push(shape.member.target);
  if (shape.key) targets.push(shape.key.target);
  if (shape.value) targets.push(shape.value.target);
  return targets;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

for (const spec of SERVICES) {
  const model = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, spec.file), 'utf8'));
  const shapes = { ...model.shapes, ...spec.overlays };
  for (const [shapeId, members] of Object.entries(spec.memberOverlays)) {
    shapes[shapeId] = { ...shapes[shapeId], members: { ...shapes[shapeId].members, ...members } };
  }
  const serviceId = `${spec.namespace}#${spec.service}`;
  const service = shapes[serviceId];
  const operationIds = spec.operations.map((op) => `${spec.namespace}#${op}`);
  for (const id of operationIds) if (!shapes[id]) throw new Error(`${spec.file}: no operation ${id}`);

  const reached = new Set();
  const queue = [...operationIds, ...(service.errors ?? []).map((e) => e.target)];
  while (queue.length > 0) {
    const id = queue.pop();
    if (reached.has(id) || !shapes[id]) continue;
    reached.add(id);
    queue.push(...targetsOf(shapes[id]));
  }

  const out = {};
  for (const id of [...reached].sort()) out[id] = stripShape(shapes[id]);
  out[serviceId] = {
    type: 'service',
    version: service.version,
    operations: operationIds.map((target) => ({ target })),
    ...(service.errors ? { errors: service.errors } : {}),
    traits: Object.fromEntries(
      SERVICE_TRAITS.filter((t) => service.traits[t]).map((t) => [t, service.traits[t]]),
    ),
  };
  const trimmed = sortKeys({
    smithy: model.smithy,
    metadata: {
      source: `aws/api-models-aws ${spec.file}, trimmed by exporter/scripts/extract-aws-models.js`,
    },
    shapes: out,
  });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, spec.out), `${JSON.stringify(trimmed, null, 2)}\n`);
  console.log(`${spec.out}: ${Object.keys(out).length} shapes`);
}

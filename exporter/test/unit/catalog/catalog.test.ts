import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../../../src/catalog/catalog';
import { parseCsv } from '../../../src/catalog/csv';
import type { ConfigRule } from '../../../src/model';

const controls = readFileSync(join(__dirname, '..', '..', '..', 'data', 'security-hub-controls.csv'), 'utf8');
const rule = (name: string, sourceIdentifier = '', extra: Partial<ConfigRule> = {}) => ({
  name,
  sourceOwner: sourceIdentifier.startsWith('arn:') ? 'CUSTOM_LAMBDA' : 'AWS',
  sourceIdentifier,
  createdBy: undefined,
  ...extra,
});

describe('Catalog', () => {
  const catalog = new Catalog(controls);

  it('joins a managed rule under its own name', () => {
    expect(catalog.classify(rule('iam-root-access-key-check', 'IAM_ROOT_ACCESS_KEY_CHECK'))).toEqual({
      controlId: 'IAM.4',
      title: 'IAM root user access key should not exist',
      severity: 'CRITICAL',
      serviceLinked: false,
    });
  });

  it('joins a custom-named rule by its managed source identifier', () => {
    const c = catalog.classify(rule('my-team-s3-public-read', 'S3_BUCKET_PUBLIC_READ_PROHIBITED'));
    expect(c).toMatchObject({ controlId: 'S3.2', severity: 'CRITICAL', serviceLinked: false });
  });

  it("joins Security Hub's service-linked copies by the created rule name", () => {
    expect(catalog.classify(rule('securityhub-s3-bucket-public-read-prohibited-1a2b3c4d', 'S3_BUCKET_PUBLIC_READ_PROHIBITED', { createdBy: 'securityhub.amazonaws.com' })))
      .toMatchObject({ controlId: 'S3.2', severity: 'CRITICAL', serviceLinked: true });
    // restricted-rdp is the name Security Hub gives its EC2.14 copy of restricted-common-ports.
    expect(catalog.classify(rule('securityhub-restricted-rdp-c585f8c6', 'RESTRICTED_INCOMING_TRAFFIC'))).toMatchObject({
      controlId: 'EC2.14',
      severity: 'HIGH',
      serviceLinked: true,
    });
    expect(catalog.classify(rule('securityhub-vpc-sg-restricted-common-ports-29874e97', 'RESTRICTED_INCOMING_TRAFFIC'))).toMatchObject({
      controlId: 'EC2.19',
      severity: 'CRITICAL',
    });
  });

  it('picks the most severe control when one managed rule backs several', () => {
    // restricted-common-ports backs EC2.14 (HIGH) and EC2.19 (CRITICAL).
    expect(catalog.classify(rule('restricted-common-ports', 'RESTRICTED_INCOMING_TRAFFIC'))).toMatchObject({ controlId: 'EC2.19', severity: 'CRITICAL' });
  });

  it('gives UNKNOWN to rules with no control', () => {
    expect(catalog.classify(rule('required-tags', 'REQUIRED_TAGS'))).toEqual({ controlId: '', title: '', severity: 'UNKNOWN', serviceLinked: false });
    expect(catalog.classify(rule('my-lambda-rule', 'arn:aws:lambda:us-east-1:123456789012:function:check'))).toMatchObject({ severity: 'UNKNOWN' });
  });

  it('does not join a custom Lambda rule by a source identifier that only looks managed', () => {
    const lambda = { ...rule('my-lambda-rule', 'S3_BUCKET_PUBLIC_READ_PROHIBITED'), sourceOwner: 'CUSTOM_LAMBDA' };
    expect(catalog.classify(lambda).severity).toBe('UNKNOWN');
  });

  it('applies overrides by rule name first, then by source identifier', () => {
    const withOverrides = new Catalog(controls, {
      rules: { 'required-tags': { severity: 'LOW', control_id: 'Tagging.1', title: 'Resources carry the required tags' }, 'iam-root-access-key-check': { severity: 'HIGH' } },
      source_identifiers: { REQUIRED_TAGS: { severity: 'MEDIUM' }, S3_BUCKET_PUBLIC_READ_PROHIBITED: { severity: 'HIGH' } },
    });
    expect(withOverrides.classify(rule('required-tags', 'REQUIRED_TAGS'))).toMatchObject({ severity: 'LOW', controlId: 'Tagging.1' });
    expect(withOverrides.classify(rule('team-tags', 'REQUIRED_TAGS'))).toMatchObject({ severity: 'MEDIUM', controlId: '' });
    expect(withOverrides.classify(rule('iam-root-access-key-check', 'IAM_ROOT_ACCESS_KEY_CHECK'))).toMatchObject({ severity: 'HIGH', controlId: 'IAM.4' });
    expect(withOverrides.classify(rule('my-team-s3-public-read', 'S3_BUCKET_PUBLIC_READ_PROHIBITED'))).toMatchObject({ severity: 'HIGH', controlId: 'S3.2' });
  });
});

describe('parseCsv', () => {
  it('handles quoted fields with commas, doubled quotes and CRLF', () => {
    expect(parseCsv('a,b,c\r\n1,"two, three","say ""hi"""\r\nx,,z\n')).toEqual([
      { a: '1', b: 'two, three', c: 'say "hi"' },
      { a: 'x', b: '', c: 'z' },
    ]);
  });
});

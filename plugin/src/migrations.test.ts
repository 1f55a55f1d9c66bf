import { DataQuery } from '@grafana/schema';

import { defaultQuery, migrateQuery, migrateVariableQuery } from './migrations';
import { ANNOTATION_QUERY_TYPES, CURRENT_SCHEMA_VERSION, KpiQuery, PANEL_QUERY_TYPES } from './types';

/** Dashboard JSON is untrusted input: these are shapes that could be stored in it. */
const stored = (fields: Record<string, unknown>): DataQuery => ({ refId: 'A', ...fields });

describe('migrateQuery', () => {
  it('turns the create-plugin scaffold query into the default daily query', () => {
    expect(migrateQuery(stored({ queryText: 'test query', constant: 6.5 }))).toEqual({
      refId: 'A',
      schemaVersion: CURRENT_SCHEMA_VERSION,
      queryType: 'daily',
      indicators: ['findingsOpened', 'findingsResolved'],
      accountIds: [],
      regions: [],
      severities: [],
      timeZone: '',
    });
  });

  it.each([...PANEL_QUERY_TYPES, ...ANNOTATION_QUERY_TYPES])(
    'leaves a current %s query unchanged (idempotent)',
    (queryType) => {
      const current = defaultQuery(queryType, 'B');
      expect(migrateQuery(current)).toEqual(current);
      expect(migrateQuery(migrateQuery(current))).toEqual(current);
    }
  );

  it('reads a monitoringBegan annotation query with its account and region filters only', () => {
    expect(
      migrateQuery(stored({ queryType: 'monitoringBegan', regions: 'eu-west-1', severities: ['CRITICAL'] }))
    ).toEqual({
      refId: 'A',
      schemaVersion: CURRENT_SCHEMA_VERSION,
      queryType: 'monitoringBegan',
      accountIds: [],
      regions: ['eu-west-1'],
    });
  });

  it('keeps refId, hide, key and datasource', () => {
    const datasource = { type: 'compliancepulse-kpi-datasource', uid: 'compliance-pulse-kpi' };
    expect(migrateQuery(stored({ queryType: 'summary', hide: true, key: 'Q-1', datasource }))).toEqual({
      refId: 'A',
      schemaVersion: CURRENT_SCHEMA_VERSION,
      queryType: 'summary',
      hide: true,
      key: 'Q-1',
      datasource,
    });
  });

  it('fills what an unversioned query lacks and drops what it should not carry', () => {
    expect(migrateQuery(stored({ queryType: 'findings', severities: ['CRITICAL'], documents: ['x'] }))).toEqual({
      refId: 'A',
      schemaVersion: CURRENT_SCHEMA_VERSION,
      queryType: 'findings',
      state: 'open',
      accountIds: [],
      regions: [],
      severities: ['CRITICAL'],
      rules: [],
      limit: 100,
    });
  });

  it('reads comma-separated filter strings and numeric strings written by hand', () => {
    const query = migrateQuery(
      stored({ queryType: 'remediations', accountIds: '123456789012, 210987654321', limit: '250' })
    );
    expect(query).toMatchObject({ accountIds: ['123456789012', '210987654321'], limit: 250 });
  });

  it('replaces malformed values with defaults', () => {
    const query = migrateQuery(
      stored({
        queryType: 'remediations',
        outcome: 'exploded',
        regions: [1, 'us-east-1', null],
        limit: -3,
        timeZone: 42,
      })
    );
    expect(query).toMatchObject({ outcome: 'any', regions: ['us-east-1'], limit: 100, timeZone: '' });
  });

  it('drops unknown indicators but keeps an explicitly empty list (the editor asks to choose one)', () => {
    expect(migrateQuery(stored({ queryType: 'daily', indicators: ['findingsOpened', 'bogus'] }))).toMatchObject({
      indicators: ['findingsOpened'],
    });
    expect(migrateQuery(stored({ queryType: 'daily', indicators: [] }))).toMatchObject({ indicators: [] });
  });

  it('falls back to daily for an unknown query type', () => {
    expect(migrateQuery(stored({ queryType: 'metrics' })).queryType).toBe('daily');
  });

  it('carries shared filters over when the query type changes', () => {
    const findings: KpiQuery = {
      ...defaultQuery('findings'),
      regions: ['eu-west-1'],
      rules: ['r1'],
      severities: ['HIGH'],
    };
    expect(migrateQuery({ ...findings, queryType: 'remediations' })).toMatchObject({
      queryType: 'remediations',
      regions: ['eu-west-1'],
      rules: ['r1'],
    });
    expect(migrateQuery({ ...findings, queryType: 'remediations' })).not.toHaveProperty('severities');
  });
});

describe('migrateVariableQuery', () => {
  it('reads the object form', () => {
    expect(migrateVariableQuery({ refId: 'v', dimension: 'rules' })).toEqual({
      refId: 'v',
      schemaVersion: CURRENT_SCHEMA_VERSION,
      dimension: 'rules',
    });
  });

  it('reads a bare dimension name', () => {
    expect(migrateVariableQuery(' regions ')).toMatchObject({ dimension: 'regions', refId: 'variable' });
  });

  it('falls back to accounts for anything else', () => {
    expect(migrateVariableQuery({ dimension: 'planets' }).dimension).toBe('accounts');
    expect(migrateVariableQuery(undefined).dimension).toBe('accounts');
  });
});

import { cursorTuple } from '../pagination';
import { ssmError } from '../protocol/errors';
import { InputReader, type JsonObject } from '../protocol/input';
import { epochSeconds, nextToken, readCursor, type JsonOperation } from '../protocol/operation';
import type { DocumentRecord } from '../world/types';
import { invalidNextToken, regionOf, SSM_ERRORS } from './common';

const LIST_DEFAULT_MAX_RESULTS = 50;
const PLATFORM_TYPES = ['Windows', 'Linux', 'MacOS'];

function documentShape(d: DocumentRecord): JsonObject {
  return {
    Hash: d.hash,
    HashType: 'Sha256',
    Name: d.name,
    ...(d.displayName !== undefined ? { DisplayName: d.displayName } : {}),
    Owner: d.owner,
    CreatedDate: epochSeconds(d.createdDate),
    Status: 'Active',
    DocumentVersion: d.documentVersion,
    Description: d.description,
    Parameters: d.parameters.map((p) => ({
      Name: p.name,
      Type: p.type,
      ...(p.description !== undefined ? { Description: p.description } : {}),
      ...(p.defaultValue !== undefined ? { DefaultValue: p.defaultValue } : {}),
    })),
    PlatformTypes: PLATFORM_TYPES,
    DocumentType: 'Automation',
    SchemaVersion: '0.3',
    LatestVersion: d.documentVersion,
    DefaultVersion: d.documentVersion,
    DocumentFormat: 'YAML',
    ...(d.targetType !== undefined ? { TargetType: d.targetType } : {}),
    Tags: [],
  };
}

function documentIdentifierShape(d: DocumentRecord): JsonObject {
  return {
    Name: d.name,
    CreatedDate: epochSeconds(d.createdDate),
    ...(d.displayName !== undefined ? { DisplayName: d.displayName } : {}),
    Owner: d.owner,
    PlatformTypes: PLATFORM_TYPES,
    DocumentVersion: d.documentVersion,
    DocumentType: 'Automation',
    SchemaVersion: '0.3',
    DocumentFormat: 'YAML',
    ...(d.targetType !== undefined ? { TargetType: d.targetType } : {}),
    Tags: [],
  };
}

export const describeDocument: JsonOperation = {
  service: 'ssm',
  name: 'DescribeDocument',
  handle(body, ctx) {
    const input = new InputReader(body, SSM_ERRORS);
    const name = input.requiredString('Name', { pattern: /^[a-zA-Z0-9_\-.:/]{3,128}$/ });
    const version = input.optionalString('DocumentVersion', {
      pattern: /^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$/,
    });
    input.optionalString('VersionName', { pattern: /^[a-zA-Z0-9_\-.]{1,128}$/ });
    const document = regionOf(ctx)?.document(name);
    if (!document) throw ssmError('InvalidDocument', `Document with name ${name} does not exist.`);
    if (
      version !== undefined &&
      version !== '$LATEST' &&
      version !== '$DEFAULT' &&
      version !== document.documentVersion
    ) {
      throw ssmError('InvalidDocumentVersion', 'The document version is not valid or does not exist.');
    }
    return { Document: documentShape(document) };
  },
};

export const listDocuments: JsonOperation = {
  service: 'ssm',
  name: 'ListDocuments',
  handle(body, ctx) {
    const input = new InputReader(body, SSM_ERRORS);
    const filters = input.objectList('Filters', { min: 0, max: 6 }) ?? [];
    const maxResults = input.limit('MaxResults', 1, 50) ?? LIST_DEFAULT_MAX_RESULTS;
    const cursor = readCursor(body, ctx, invalidNextToken);
    const after =
      cursor === undefined ? undefined : cursorTuple(cursor, ['string'] as const, invalidNextToken)[0];

    const tests = filters.map((filter) => {
      const key = filter.requiredString('Key', { min: 1, max: 128 });
      const values = filter.stringList('Values', { min: 0, max: 20 }) ?? [];
      switch (key) {
        case 'Owner':
          return (d: DocumentRecord) =>
            values.some((v) =>
              v === 'All'
                ? true
                : v === 'Amazon'
                  ? d.owner === 'Amazon'
                  : v === 'Self' || v === 'Private'
                    ? d.owner === ctx.accountId
                    : false,
            );
        case 'Name':
          return (d: DocumentRecord) => values.some((v) => d.name.startsWith(v));
        case 'DocumentType':
          return () => values.includes('Automation');
        case 'PlatformTypes':
          return () => values.some((v) => PLATFORM_TYPES.includes(v));
        case 'TargetType':
          return (d: DocumentRecord) => d.targetType !== undefined && values.includes(d.targetType);
        default:
          if (key.startsWith('tag:')) return () => false;
          throw ssmError('InvalidFilterKey', `The filter key ${key} is not valid.`);
      }
    });
    const documents = (regionOf(ctx)?.documents() ?? [])
      .filter((d) => tests.every((t) => t(d)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .filter((d) => after === undefined || d.name > after);
    const page = documents.slice(0, maxResults);
    const last = page[page.length - 1];
    return {
      DocumentIdentifiers: page.map(documentIdentifierShape),
      ...(documents.length > maxResults && last ? { NextToken: nextToken(body, ctx, [last.name]) } : {}),
    };
  },
};

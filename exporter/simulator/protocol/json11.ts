import type { ServerResponse } from 'node:http';
import { AwsError } from './errors';
import type { JsonObject } from './input';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Target prefixes of AWS JSON 1.1 services the simulator speaks. */
export const TARGET_PREFIXES = { StarlingDoveService: 'config', AmazonSSM: 'ssm' } as const;

export function parseJsonBody(raw: string): JsonObject {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
  return parsed as JsonObject;
}

export function errorBody(error: AwsError): string {
  return JSON.stringify({ __type: error.code, [error.messageMember]: error.message });
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: string,
  requestId: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...extraHeaders,
  });
  res.end(body);
}

export function writeJsonError(res: ServerResponse, error: AwsError, requestId: string): void {
  writeJson(res, error.status, errorBody(error), requestId, {
    'x-amzn-ErrorType': error.code,
    ...error.headers,
  });
}

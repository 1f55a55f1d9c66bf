/**
 * The AWS Query protocol as STS speaks it: form-urlencoded requests, XML responses in the
 * `https://sts.amazonaws.com/doc/2011-06-15/` namespace, and `<ErrorResponse>` errors.
 */
const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;',
  );
}

/** `{ A: 'x', B: { C: 'y' } }` → `<A>x</A><B><C>y</C></B>` (members in the given order). */
export type XmlTree = { [element: string]: string | XmlTree };

export function toXml(tree: XmlTree, indent = '    '): string {
  return Object.entries(tree)
    .map(([name, value]) =>
      typeof value === 'string'
        ? `${indent}<${name}>${escapeXml(value)}</${name}>`
        : `${indent}<${name}>\n${toXml(value, `${indent}  `)}\n${indent}</${name}>`,
    )
    .join('\n');
}

export function queryResponse(action: string, result: XmlTree, requestId: string): string {
  return [
    `<${action}Response xmlns="${STS_NAMESPACE}">`,
    `  <${action}Result>`,
    toXml(result),
    `  </${action}Result>`,
    '  <ResponseMetadata>',
    `    <RequestId>${requestId}</RequestId>`,
    '  </ResponseMetadata>',
    `</${action}Response>`,
    '',
  ].join('\n');
}

export function queryError(code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return [
    `<ErrorResponse xmlns="${STS_NAMESPACE}">`,
    '  <Error>',
    `    <Type>${type}</Type>`,
    `    <Code>${escapeXml(code)}</Code>`,
    `    <Message>${escapeXml(message)}</Message>`,
    '  </Error>',
    `  <RequestId>${requestId}</RequestId>`,
    '</ErrorResponse>',
    '',
  ].join('\n');
}

/** Query-protocol error codes differ from their JSON-protocol names for the common faults. */
export function queryErrorCode(jsonCode: string): string {
  switch (jsonCode) {
    case 'ThrottlingException':
      return 'Throttling';
    case 'AccessDeniedException':
      return 'AccessDenied';
    case 'ValidationException':
      return 'ValidationError';
    default:
      return jsonCode;
  }
}

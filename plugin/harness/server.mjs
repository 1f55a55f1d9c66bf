/**
 * The harness's stand-in for the Grafana server, for the browser test:
 *
 * - serves the built test page, the plugin's dist/ under /plugin/ and @grafana/ui's icons under /public/;
 * - PUT /api/datasources/uid/<uid> stores the data source settings, keeping secureJsonData on the server and
 *   answering only which secure fields are set (secureJsonFields), as Grafana does;
 * - /api/datasources/proxy/uid/<uid>/<path> plays Grafana's data source proxy with the routes of dist/plugin.json:
 *   the first route whose path prefixes the request (and whose method matches) rewrites the URL to the route's `url`
 *   and sets its headers, both rendered from the Go templates in plugin.json (`{{ .JsonData.x }}`,
 *   `{{ .SecureJsonData.x }}`, `{{ if … }}…{{ end }}`) with the stored settings. The browser's own Authorization and
 *   Cookie headers are dropped. Unreachable upstreams answer 502, as Grafana's proxy does.
 *
 * So the plugin's route — not just its frontend — is exercised against the exporter.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * Renders the subset of Go's text/template that plugin.json routes use. Like Go: a missing key prints "<no value>"
 * and is false in `if`.
 */
function renderRouteTemplate(template, data) {
  const lookup = (path) =>
    path
      .split('.')
      .filter(Boolean)
      .reduce((value, key) => (value == null ? undefined : value[key]), data);
  const withConditionals = template.replace(
    /\{\{-?\s*if\s+([.\w]+)\s*-?\}\}([\s\S]*?)\{\{-?\s*end\s*-?\}\}/g,
    (_, path, body) => (lookup(path) ? body : '')
  );
  return withConditionals.replace(/\{\{-?\s*([.\w]+)\s*-?\}\}/g, (_, path) => {
    const value = lookup(path);
    return value === undefined || value === null ? '<no value>' : String(value);
  });
}

function sendFile(response, path) {
  if (!existsSync(path) || !statSync(path).isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
    return;
  }
  response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' });
  createReadStream(path).pipe(response);
}

/** `root` + request path, refusing paths that leave `root`. */
function inside(root, path) {
  const full = resolve(root, `.${normalize(decodeURIComponent(path))}`);
  return full.startsWith(resolve(root)) ? full : join(root, '__outside__');
}

function readBody(request) {
  return new Promise((resolveBody, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function proxy(request, response, route, remainder, settings) {
  const data = { JsonData: settings.jsonData, SecureJsonData: settings.secureJsonData };
  let target;
  try {
    target = new URL(renderRouteTemplate(route.url, data));
  } catch {
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'Bad Gateway', error: `route url renders to an invalid URL` }));
    return;
  }
  const [pathPart, query = ''] = remainder.split('?');
  const path = `${target.pathname.replace(/\/$/, '')}${pathPart}`.replace(/\/{2,}/g, '/');
  const headers = { accept: request.headers.accept ?? 'application/json', host: target.host };
  for (const header of route.headers ?? []) {
    headers[header.name.toLowerCase()] = renderRouteTemplate(header.content, data);
  }
  const upstream = httpRequest(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: query ? `${path}?${query}` : path,
      headers,
    },
    (upstreamResponse) => {
      response.writeHead(upstreamResponse.statusCode ?? 502, {
        'content-type': upstreamResponse.headers['content-type'] ?? 'application/octet-stream',
      });
      upstreamResponse.pipe(response);
    }
  );
  upstream.on('error', () => {
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'Bad Gateway' }));
  });
  upstream.end();
}

/**
 * Starts the server on 127.0.0.1 (port 0: any free port). `pageDir` is the Vite build of harness/page, `distDir` the
 * plugin build, `uiPublicDir` @grafana/ui's dist/public. Resolves with { url, close, requests } where `requests`
 * logs each proxied request as the exporter received it (method, path, whether Authorization was sent).
 */
export function startHarnessServer({ pageDir, distDir, uiPublicDir, datasourceUid }) {
  const pluginJson = JSON.parse(readFileSync(join(distDir, 'plugin.json'), 'utf8'));
  const routes = pluginJson.routes ?? [];
  const settings = { jsonData: {}, secureJsonData: {} };
  const requests = [];
  const proxyPrefix = `/api/datasources/proxy/uid/${datasourceUid}/`;

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://harness');
    if (url.pathname === `/api/datasources/uid/${datasourceUid}` && request.method === 'PUT') {
      const body = JSON.parse(await readBody(request));
      settings.jsonData = body.jsonData ?? {};
      // Grafana keeps a secure field once set; sending an empty value resets it.
      for (const [key, value] of Object.entries(body.secureJsonData ?? {})) {
        if (value === '') {
          delete settings.secureJsonData[key];
        } else {
          settings.secureJsonData[key] = value;
        }
      }
      const secureJsonFields = Object.fromEntries(Object.keys(settings.secureJsonData).map((key) => [key, true]));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Datasource updated', secureJsonFields }));
      return;
    }
    if (url.pathname.startsWith(proxyPrefix)) {
      const proxyPath = url.pathname.slice(proxyPrefix.length);
      const route = routes.find(
        (candidate) =>
          proxyPath.startsWith(candidate.path) &&
          (!candidate.method ||
            candidate.method
              .split(',')
              .map((m) => m.trim().toUpperCase())
              .includes(request.method))
      );
      if (!route) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'no plugin route matches' }));
        return;
      }
      const remainder = `${proxyPath.slice(route.path.length)}${url.search}`;
      const authorization = (route.headers ?? []).find((header) => header.name.toLowerCase() === 'authorization');
      requests.push({
        method: request.method,
        path: remainder,
        authorization: authorization
          ? renderRouteTemplate(authorization.content, { SecureJsonData: settings.secureJsonData }) !== ''
          : false,
      });
      proxy(request, response, route, remainder.startsWith('/') ? remainder : `/${remainder}`, settings);
      return;
    }
    if (url.pathname.startsWith('/plugin/')) {
      sendFile(response, inside(distDir, url.pathname.slice('/plugin'.length)));
      return;
    }
    if (url.pathname.startsWith('/public/')) {
      // Grafana serves @grafana/ui's icons from public/build/img/icons/; the package ships them as img/icons/.
      sendFile(response, inside(uiPublicDir, url.pathname.slice('/public'.length).replace(/^\/build\//, '/')));
      return;
    }
    sendFile(response, inside(pageDir, url.pathname === '/' ? '/index.html' : url.pathname));
  });

  return new Promise((resolveServer) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolveServer({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

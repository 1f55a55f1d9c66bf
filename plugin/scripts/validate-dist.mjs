#!/usr/bin/env node
/**
 * Offline stand-in for @grafana/plugin-validator (whose npm wrapper downloads a Go binary from GitHub, which this
 * machine cannot reach). It packs dist/ the way the validator expects a release — `<id>.zip` holding one `<id>/`
 * directory — and runs the validator's checks that need no network on the archive's contents:
 *
 *   archive-name, archive-root, metadata, metadata-fields, metadata-properties, plugin-id, type-suffix, plugin-name,
 *   logos, svg-safe, module-js, source-map, readme, readme-jargon, changelog, license, package-version,
 *   grafana-dependency, tracking-scripts
 *
 * Left out because they need the network or external tools: org (grafana.com), brokenlinks, signature/manifest
 * (grafana.com signing), osv-scanner, semgrep code rules, virus scan, LLM review, published-version checks.
 *
 * Usage: node scripts/validate-dist.mjs [--dist dist] [--out artifacts] [--package package.json]
 * Exit code 1 when any check with severity "error" fails; warnings are printed only.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PLUGIN_ID = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
const PLUGIN_TYPES = ['app', 'datasource', 'panel', 'renderer', 'secretsmanager', 'transformer'];
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** plugin.schema.json's pattern for dependencies.grafanaDependency. */
const GRAFANA_DEPENDENCY =
  /^(<=|>=|<|>|=|~|\^)?([0-9]+)(\.[0-9x*]+)(\.[0-9x*]+)?(\s(<=|>=|<|=>)?([0-9]+)(\.[0-9x]+)(\.[0-9x]+))?$/;
/** Top-level properties plugin.schema.json defines (it sets additionalProperties: false), plus buildMode. */
const KNOWN_PROPERTIES = new Set([
  '$schema',
  'id',
  'type',
  'name',
  'info',
  'dependencies',
  'alerting',
  'annotations',
  'autoEnabled',
  'backend',
  'buildMode',
  'builtIn',
  'category',
  'enterpriseFeatures',
  'executable',
  'hideFromList',
  'includes',
  'logs',
  'metrics',
  'pascalName',
  'preload',
  'queryOptions',
  'routes',
  'skipDataQuery',
  'state',
  'streaming',
  'tracing',
  'iam',
  'roles',
  'extensions',
  'languages',
  'aliases',
  'multiValueFilterOperators',
  'apiVersion',
]);
/** The validator's templatereadme pattern, and the create-plugin 7 src/README.md template. */
const TEMPLATE_READMES = [
  /^# Grafana (Panel|Data Source|Data Source Backend) Plugin Template/,
  /This README file is going to be the one displayed on the Grafana\.com website/,
  /^# Grafana data source plugin template/i,
];
const JARGON = ['yarn', 'nodejs'];
const TRACKING_SERVERS = ['https://www.google-analytics.com', 'https://api-js.mixpanel.com', 'https://mixpanel.com'];
/** Elements plugin-validator's svgvalidate rejects, plus foreignObject (embeds HTML); `on*` attributes are rejected too. */
const FORBIDDEN_SVG_ELEMENTS = new Set([
  'annotation-xml',
  'audio',
  'colgroup',
  'iframe',
  'math',
  'mi',
  'mn',
  'mo',
  'ms',
  'mtext',
  'noembed',
  'noframes',
  'noscript',
  'plaintext',
  'script',
  'template',
  'thead',
  'xmp',
  'foreignobject',
]);
const LICENSE_FILES = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'];
/** Licenses plugin-validator accepts (license names starting with AGPL-3.0 or Apache-2.0), by their text. */
const PERMITTED_LICENSES = [
  {
    name: 'Apache-2.0',
    markers: [
      'Apache License',
      'Version 2.0, January 2004',
      'TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION',
    ],
  },
  { name: 'AGPL-3.0', markers: ['GNU AFFERO GENERAL PUBLIC LICENSE', 'Version 3, 19 November 2007'] },
];

/** @typedef {{ name: string, ok: boolean, severity: 'error' | 'warning', message: string }} CheckResult */

/** @returns {CheckResult} */
const pass = (name, message, severity = 'error') => ({ name, ok: true, severity, message });
/** @returns {CheckResult} */
const fail = (name, message, severity = 'error') => ({ name, ok: false, severity, message });

function readText(path) {
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
}

function readJson(path) {
  const text = readText(path);
  if (text === undefined) {
    return { error: `${basename(path)} is missing` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `${basename(path)} is not valid JSON (${error.message})` };
  }
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Packs distDir as `<outDir>/<id>.zip` with a single top-level `<id>/` directory; returns the zip path. */
export function buildArchive(distDir, outDir) {
  const metadata = readJson(join(distDir, 'plugin.json'));
  if (metadata.error || !isObject(metadata.value) || typeof metadata.value.id !== 'string') {
    throw new Error(`cannot pack ${distDir}: ${metadata.error ?? 'plugin.json has no id'}`);
  }
  const id = metadata.value.id;
  const staging = mkdtempSync(join(tmpdir(), 'plugin-pack-'));
  try {
    cpSync(distDir, join(staging, id), { recursive: true });
    mkdirSync(outDir, { recursive: true });
    const zipPath = resolve(outDir, `${id}.zip`);
    rmSync(zipPath, { force: true });
    execFileSync('zip', ['-q', '-r', '-X', zipPath, id], { cwd: staging });
    return zipPath;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function checkArchiveName(zipPath, id) {
  const expected = `${id}.zip`;
  return basename(zipPath) === expected
    ? pass('archive-name', `archive is named ${expected}`)
    : fail('archive-name', `archive is named ${basename(zipPath)}; it must be named after the plugin id: ${expected}`);
}

/** Inspects the zip listing; returns the result and the root directory name when there is exactly one. */
function checkArchiveRoot(entries, id) {
  if (entries.length === 0) {
    return { result: fail('archive-root', 'archive is empty') };
  }
  const roots = [...new Set(entries.map((entry) => entry.split('/')[0]))];
  if (roots.length !== 1) {
    return { result: fail('archive-root', `archive must hold one top-level directory; found ${roots.join(', ')}`) };
  }
  const [root] = roots;
  if (!entries.some((entry) => entry.startsWith(`${root}/`))) {
    return { result: fail('archive-root', `archive holds the file ${root} instead of a ${id}/ directory`) };
  }
  if (entries.some((entry) => entry.startsWith(`${root}/dist/`))) {
    return {
      result: fail('archive-root', `${root}/dist/ must be renamed to the plugin id and moved to the root`),
      root,
    };
  }
  if (root !== id) {
    return { result: fail('archive-root', `top-level directory is ${root}/; it must be the plugin id ${id}/`), root };
  }
  return { result: pass('archive-root', `archive holds one top-level directory ${id}/`), root };
}

function checkMetadataFields(metadata) {
  const problems = [];
  for (const field of ['type', 'name', 'id', 'info', 'dependencies']) {
    if (metadata[field] === undefined) {
      problems.push(`${field} is missing`);
    }
  }
  if (metadata.type !== undefined && !PLUGIN_TYPES.includes(metadata.type)) {
    problems.push(`type "${metadata.type}" is not one of ${PLUGIN_TYPES.join(', ')}`);
  }
  const info = isObject(metadata.info) ? metadata.info : {};
  if (
    !Array.isArray(info.keywords) ||
    info.keywords.length === 0 ||
    !info.keywords.every((k) => typeof k === 'string')
  ) {
    problems.push('info.keywords must list at least one keyword');
  }
  if (!isObject(info.logos)) {
    problems.push('info.logos is missing');
  }
  if (typeof info.version !== 'string' || !SEMVER.test(info.version)) {
    problems.push(`info.version "${info.version}" is not a semantic version (was %VERSION% replaced by the build?)`);
  }
  if (typeof info.updated !== 'string' || !DATE.test(info.updated)) {
    problems.push(`info.updated "${info.updated}" is not a date YYYY-MM-DD (was %TODAY% replaced by the build?)`);
  }
  if (!isObject(info.author) || typeof info.author.name !== 'string' || info.author.name === '') {
    problems.push('info.author.name is missing');
  }
  const dependencies = isObject(metadata.dependencies) ? metadata.dependencies : {};
  if (typeof dependencies.grafanaDependency !== 'string' || !GRAFANA_DEPENDENCY.test(dependencies.grafanaDependency)) {
    problems.push(`dependencies.grafanaDependency "${dependencies.grafanaDependency}" is not a Grafana version range`);
  }
  return problems.length === 0
    ? pass('metadata-fields', 'plugin.json has the required fields with valid values')
    : fail('metadata-fields', `plugin.json: ${problems.join('; ')}`);
}

function checkMetadataProperties(metadata) {
  const unknown = Object.keys(metadata).filter((key) => !KNOWN_PROPERTIES.has(key));
  return unknown.length === 0
    ? pass('metadata-properties', 'plugin.json has no properties outside the schema')
    : fail('metadata-properties', `plugin.json has properties the schema does not define: ${unknown.join(', ')}`);
}

function checkPluginId(metadata) {
  return typeof metadata.id === 'string' && PLUGIN_ID.test(metadata.id)
    ? pass('plugin-id', `id ${metadata.id} follows <org>-<name>-<type>`)
    : fail(
        'plugin-id',
        `id "${metadata.id}" must match ${PLUGIN_ID} (lowercase letters and digits: <org>-<name>-<type>)`
      );
}

function checkTypeSuffix(metadata) {
  const suffix = typeof metadata.id === 'string' ? metadata.id.split('-').at(-1) : undefined;
  return suffix !== undefined && suffix === metadata.type
    ? pass('type-suffix', `id ends with its type "${metadata.type}"`)
    : fail('type-suffix', `id "${metadata.id}" must end with the plugin type "${metadata.type}"`);
}

function checkPluginName(metadata) {
  return typeof metadata.name === 'string' && metadata.name !== '' && metadata.name !== metadata.id
    ? pass('plugin-name', `name "${metadata.name}" is human-friendly`)
    : fail('plugin-name', 'name must be a human-friendly name, not empty and not the plugin id');
}

function checkLogos(metadata, pluginDir) {
  const logos = isObject(metadata.info) && isObject(metadata.info.logos) ? metadata.info.logos : {};
  const problems = [];
  for (const size of ['small', 'large']) {
    const path = logos[size];
    if (typeof path !== 'string' || path.trim() === '') {
      problems.push(`info.logos.${size} is empty`);
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      problems.push(`info.logos.${size} "${path}" must be a path relative to plugin.json, not a URL`);
    } else if (path.startsWith('.') || path.startsWith('/')) {
      problems.push(`info.logos.${size} "${path}" must not start with "." or "/"`);
    } else if (!path.endsWith('.svg')) {
      problems.push(`info.logos.${size} "${path}" must be an SVG image`);
    } else if (readText(join(pluginDir, path)) === undefined) {
      problems.push(`info.logos.${size} "${path}" is not in the archive`);
    }
  }
  return problems.length === 0
    ? pass('logos', `logos exist: ${[...new Set([logos.small, logos.large])].join(', ')}`)
    : fail('logos', problems.join('; '));
}

/** The first reason an SVG is unsafe (plugin-validator's svgvalidate rules, plus javascript: URLs), or undefined. */
export function unsafeSvgReason(svg) {
  if (!/<svg[\s>]/i.test(svg)) {
    return 'it has no <svg> element';
  }
  const withoutComments = svg.replace(/<!--[\s\S]*?-->/g, '');
  for (const tag of withoutComments.matchAll(/<\/?([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const element = tag[1].toLowerCase().replace(/^.*:/, '');
    if (FORBIDDEN_SVG_ELEMENTS.has(element)) {
      return `element <${tag[1]}> is not allowed`;
    }
    for (const attribute of tag[2].matchAll(/([^\s=/>]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const name = attribute[1].toLowerCase();
      const value = (attribute[2] ?? '').replace(/^["']|["']$/g, '').trim();
      if (name.startsWith('on')) {
        return `attribute ${attribute[1]} on <${tag[1]}> is not allowed`;
      }
      if ((name === 'href' || name.endsWith(':href')) && /^\s*(javascript|data:text\/html)/i.test(value)) {
        return `<${tag[1]}> links to ${value.slice(0, 30)}`;
      }
    }
  }
  return undefined;
}

function checkSvgs(pluginDir) {
  const svgs = filesUnder(pluginDir).filter((path) => path.toLowerCase().endsWith('.svg'));
  const unsafe = svgs.flatMap((path) => {
    const reason = unsafeSvgReason(readFileSync(path, 'utf8'));
    return reason === undefined ? [] : [`${relative(pluginDir, path)}: ${reason}`];
  });
  return unsafe.length === 0
    ? pass('svg-safe', `${svgs.length} SVG file(s), none with scripts, event handlers or forbidden elements`)
    : fail('svg-safe', `unsafe SVG: ${unsafe.join('; ')}`);
}

function checkModuleJs(pluginDir) {
  const moduleJs = readText(join(pluginDir, 'module.js'));
  if (moduleJs === undefined || moduleJs.trim() === '') {
    return fail('module-js', 'module.js is missing or empty');
  }
  return /\bdefine\(/.test(moduleJs)
    ? pass('module-js', `module.js present (${moduleJs.length} bytes, AMD module)`)
    : fail('module-js', 'module.js is not an AMD module (no define(...)); Grafana loads plugins as AMD modules');
}

function checkSourceMap(pluginDir) {
  const modules = filesUnder(pluginDir).filter((path) => basename(path) === 'module.js');
  if (modules.length === 0) {
    return fail('source-map', 'no module.js to check a source map for');
  }
  const problems = modules.flatMap((modulePath) => {
    const mapPath = `${modulePath}.map`;
    const name = relative(pluginDir, mapPath);
    const map = readJson(mapPath);
    if (map.error) {
      return [`${name}: ${map.error}`];
    }
    const { version, sources, sourcesContent } = map.value;
    if (version !== 3 || !Array.isArray(sources) || sources.length === 0) {
      return [`${name} is not a version 3 source map with sources`];
    }
    if (!Array.isArray(sourcesContent) || sourcesContent.length !== sources.length) {
      return [`${name} does not embed the sources (sourcesContent), so it cannot be compared with the source code`];
    }
    if (!sources.some((source) => /(^|\/)module\.[jt]sx?$/.test(source))) {
      return [`${name} does not cover the plugin's module source`];
    }
    return [];
  });
  return problems.length === 0
    ? pass('source-map', `source map present for ${modules.map((path) => relative(pluginDir, path)).join(', ')}`)
    : fail('source-map', problems.join('; '));
}

function checkReadme(pluginDir) {
  const readme = readText(join(pluginDir, 'README.md'));
  if (readme === undefined || readme.trim() === '') {
    return fail('readme', 'README.md is missing or empty');
  }
  return TEMPLATE_READMES.some((template) => template.test(readme))
    ? fail('readme', 'README.md is still the create-plugin template')
    : pass('readme', 'README.md is the plugin’s own');
}

function checkJargon(pluginDir) {
  const readme = readText(join(pluginDir, 'README.md')) ?? '';
  const found = JARGON.filter((word) => readme.includes(word));
  return found.length === 0
    ? pass('readme-jargon', 'README.md has no developer jargon', 'warning')
    : fail('readme-jargon', `README.md uses developer jargon: ${found.join(', ')}`, 'warning');
}

function checkChangelog(pluginDir) {
  const changelog = readText(join(pluginDir, 'CHANGELOG.md'));
  return changelog !== undefined && changelog.trim() !== ''
    ? pass('changelog', 'CHANGELOG.md present')
    : fail('changelog', 'CHANGELOG.md is missing or empty');
}

function checkLicense(pluginDir) {
  const file = LICENSE_FILES.find((name) => readText(join(pluginDir, name)) !== undefined);
  if (file === undefined) {
    return fail('license', `no license file (${LICENSE_FILES.join(', ')}) in the archive`);
  }
  const text = readText(join(pluginDir, file)) ?? '';
  const license = PERMITTED_LICENSES.find(({ markers }) => markers.every((marker) => text.includes(marker)));
  return license
    ? pass('license', `${file} is ${license.name}`)
    : fail(
        'license',
        `${file} is not a license Grafana accepts for plugins (${PERMITTED_LICENSES.map((l) => l.name).join(', ')})`
      );
}

function checkPackageVersion(metadata, packageJsonPath) {
  const packageJson = readJson(packageJsonPath);
  if (packageJson.error) {
    return fail('package-version', packageJson.error);
  }
  const packageVersion = packageJson.value.version;
  const pluginVersion = isObject(metadata.info) ? metadata.info.version : undefined;
  return packageVersion === pluginVersion
    ? pass('package-version', `package.json and plugin.json are both version ${packageVersion}`)
    : fail(
        'package-version',
        `package.json version ${packageVersion} differs from plugin.json version ${pluginVersion}`
      );
}

function checkGrafanaDependency(metadata) {
  const range = isObject(metadata.dependencies) ? metadata.dependencies.grafanaDependency : undefined;
  if (typeof range === 'string' && /^[0-9]+\.[0-9]+\.x$/.test(range)) {
    return fail(
      'grafana-dependency',
      `grafanaDependency ${range} only targets patch releases of one Grafana minor`,
      'warning'
    );
  }
  if (typeof range === 'string' && /^[0-9]+\.[0-9]+\.[0-9]+$/.test(range)) {
    return fail('grafana-dependency', `grafanaDependency ${range} only targets one Grafana version`, 'warning');
  }
  return pass('grafana-dependency', `grafanaDependency ${range}`, 'warning');
}

function checkTrackingScripts(pluginDir) {
  const moduleJs = readText(join(pluginDir, 'module.js')) ?? '';
  const found = TRACKING_SERVERS.filter((server) => moduleJs.includes(server));
  return found.length === 0
    ? pass('tracking-scripts', 'module.js loads no tracking scripts')
    : fail('tracking-scripts', `module.js includes tracking scripts: ${found.join(', ')}`);
}

/** Extracts the zip and runs every check on its contents. */
export function validateArchive(zipPath, { packageJsonPath }) {
  const entries = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const extracted = mkdtempSync(join(tmpdir(), 'plugin-validate-'));
  try {
    execFileSync('unzip', ['-q', '-o', zipPath, '-d', extracted]);
    const rootGuess = entries[0]?.split('/')[0] ?? '';
    const metadataFile = readJson(join(extracted, rootGuess, 'plugin.json'));
    const metadata = isObject(metadataFile.value) ? metadataFile.value : {};
    const id = typeof metadata.id === 'string' ? metadata.id : '(unknown id)';
    const { result: rootResult, root } = checkArchiveRoot(entries, id);
    const results = [checkArchiveName(zipPath, id), rootResult];
    if (root === undefined) {
      return results;
    }
    const pluginDir = join(extracted, root);
    if (metadataFile.error || !isObject(metadataFile.value)) {
      return [...results, fail('metadata', `plugin.json: ${metadataFile.error ?? 'not a JSON object'}`)];
    }
    return [
      ...results,
      pass('metadata', 'plugin.json present and valid JSON'),
      checkMetadataFields(metadata),
      checkMetadataProperties(metadata),
      checkPluginId(metadata),
      checkTypeSuffix(metadata),
      checkPluginName(metadata),
      checkLogos(metadata, pluginDir),
      checkSvgs(pluginDir),
      checkModuleJs(pluginDir),
      checkSourceMap(pluginDir),
      checkReadme(pluginDir),
      checkJargon(pluginDir),
      checkChangelog(pluginDir),
      checkLicense(pluginDir),
      checkPackageVersion(metadata, packageJsonPath),
      checkGrafanaDependency(metadata),
      checkTrackingScripts(pluginDir),
    ];
  } finally {
    rmSync(extracted, { recursive: true, force: true });
  }
}

function parseArguments(argv, pluginRoot) {
  const options = {
    dist: join(pluginRoot, 'dist'),
    out: join(pluginRoot, 'artifacts'),
    package: join(pluginRoot, 'package.json'),
  };
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]?.replace(/^--/, '');
    const value = argv[index + 1];
    if (!name || !(name in options) || value === undefined) {
      throw new Error(`usage: validate-dist.mjs [--dist DIR] [--out DIR] [--package FILE] (got ${argv[index]})`);
    }
    options[name] = resolve(value);
  }
  return options;
}

function main() {
  const pluginRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const options = parseArguments(process.argv.slice(2), pluginRoot);
  if (!existsSync(join(options.dist, 'plugin.json'))) {
    console.error(`${options.dist} has no plugin.json: run "npm run build" first.`);
    process.exit(1);
  }
  const zipPath = buildArchive(options.dist, options.out);
  const results = validateArchive(zipPath, { packageJsonPath: options.package });
  console.log(`Validated ${relative(process.cwd(), zipPath) || zipPath}:`);
  for (const result of results) {
    const mark = result.ok ? 'ok  ' : result.severity === 'error' ? 'FAIL' : 'warn';
    console.log(`  ${mark} ${result.name.padEnd(20)} ${result.message}`);
  }
  const errors = results.filter((result) => !result.ok && result.severity === 'error');
  if (errors.length > 0) {
    console.error(`${errors.length} check(s) failed.`);
    process.exit(1);
  }
  console.log(`All ${results.length} checks passed.`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}

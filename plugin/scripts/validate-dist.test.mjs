/**
 * Every check of validate-dist.mjs must be able to fail: each test breaks one thing in an otherwise valid plugin
 * build (a fixture written to a temporary directory) and expects exactly that check to report it.
 * Run with: node --test scripts/validate-dist.test.mjs
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { buildArchive, unsafeSvgReason, validateArchive } from './validate-dist.mjs';

const pluginRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'validate-dist-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ID = 'acme-example-datasource';
const SAFE_LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>logo</title><rect width="10" height="10" fill="#3865ab"/></svg>';

function pluginJson(changes = {}) {
  return {
    type: 'datasource',
    name: 'Example',
    id: ID,
    metrics: true,
    info: {
      description: 'An example',
      author: { name: 'Acme' },
      keywords: ['example'],
      logos: { small: 'img/logo.svg', large: 'img/logo.svg' },
      links: [],
      screenshots: [],
      version: '1.2.3',
      updated: '2026-11-29',
    },
    dependencies: { grafanaDependency: '>=12.4.0', plugins: [] },
    buildMode: 'production',
    ...changes,
  };
}

let fixtureCount = 0;

/** A valid built plugin (dist/) plus its package.json; `breakIt` changes files before packing. */
function fixture(breakIt = () => {}) {
  const root = join(scratch, `fixture-${++fixtureCount}`);
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'img'), { recursive: true });
  const files = {
    'plugin.json': JSON.stringify(pluginJson(), null, 2),
    'module.js': 'define(["@grafana/data"],(e)=>({plugin:e}));\n//# sourceMappingURL=module.js.map',
    'module.js.map': JSON.stringify({
      version: 3,
      file: 'module.js',
      sources: ['webpack://acme-example-datasource/./module.ts'],
      sourcesContent: ['export const plugin = 1;'],
      mappings: 'AAAA',
    }),
    'README.md': '# Example data source\n\nShows example data.\n',
    'CHANGELOG.md': '# Changelog\n\n## 1.2.3\n\nFirst release.\n',
    'img/logo.svg': SAFE_LOGO,
  };
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dist, name), content);
  }
  copyFileSync(join(pluginRoot, 'LICENSE'), join(dist, 'LICENSE'));
  const packageJson = join(root, 'package.json');
  writeFileSync(packageJson, JSON.stringify({ name: 'example', version: '1.2.3' }));
  const write = (name, content) => writeFileSync(join(dist, name), content);
  const editPluginJson = (changes) => write('plugin.json', JSON.stringify(pluginJson(changes)));
  breakIt({ dist, root, write, editPluginJson, remove: (name) => rmSync(join(dist, name), { recursive: true }) });
  return { root, dist, packageJson };
}

/** Packs a directory into `<zipName>` under `root`, with `entryName/` as the archive's top level. */
function zipAs({ root, dist }, entryName, zipName) {
  const staging = join(root, 'staging');
  mkdirSync(staging, { recursive: true });
  execFileSync('cp', ['-r', dist, join(staging, entryName)]);
  const zipPath = join(root, zipName);
  execFileSync('zip', ['-q', '-r', zipPath, '.'], { cwd: staging });
  return zipPath;
}

function validate(built, zipPath = buildArchive(built.dist, join(built.root, 'out'))) {
  return validateArchive(zipPath, { packageJsonPath: built.packageJson });
}

const failed = (results) => results.filter((result) => !result.ok);

function assertOnlyFailure(results, name, messagePattern) {
  const failures = failed(results);
  assert.deepEqual(
    failures.map((result) => result.name),
    [name],
    `expected only ${name} to fail, got: ${JSON.stringify(failures, null, 1)}`
  );
  assert.match(failures[0].message, messagePattern);
}

describe('a valid plugin build', () => {
  it('passes every check', () => {
    const results = validate(fixture());
    assert.deepEqual(failed(results), []);
    assert.equal(results.length, 19);
  });

  it('is packed as <id>.zip with one top-level <id>/ directory', () => {
    const built = fixture();
    const zipPath = buildArchive(built.dist, join(built.root, 'out'));
    assert.match(zipPath, /acme-example-datasource\.zip$/);
    const entries = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(entries.every((entry) => entry.startsWith(`${ID}/`)));
    assert.ok(entries.includes(`${ID}/module.js`));
  });
});

describe('archive checks fail', () => {
  it('archive-name: the zip is not named after the plugin id', () => {
    const built = fixture();
    const zipPath = buildArchive(built.dist, join(built.root, 'out'));
    const renamed = join(built.root, 'out', 'plugin-1.2.3.zip');
    renameSync(zipPath, renamed);
    assertOnlyFailure(
      validate(built, renamed),
      'archive-name',
      /named plugin-1\.2\.3\.zip.*acme-example-datasource\.zip/
    );
  });

  it('archive-root: the top-level directory is not the plugin id', () => {
    const built = fixture();
    assertOnlyFailure(
      validate(built, zipAs(built, 'dist', `${ID}.zip`)),
      'archive-root',
      /top-level directory is dist\//
    );
  });

  it('archive-root: more than one top-level entry', () => {
    const built = fixture();
    const zipPath = zipAs(built, ID, `${ID}.zip`);
    writeFileSync(join(built.root, 'stray.txt'), 'x');
    execFileSync('zip', ['-q', '-j', zipPath, join(built.root, 'stray.txt')]);
    const results = validate(built, zipPath);
    assert.deepEqual(
      failed(results).map((result) => result.name),
      ['archive-root']
    );
    assert.match(failed(results)[0].message, /one top-level directory; found/);
  });

  it('archive-root: dist/ nested inside the plugin directory', () => {
    const built = fixture();
    const staging = join(built.root, 'nested');
    mkdirSync(join(staging, ID), { recursive: true });
    execFileSync('cp', ['-r', built.dist, join(staging, ID, 'dist')]);
    const zipPath = join(built.root, `${ID}.zip`);
    execFileSync('zip', ['-q', '-r', zipPath, ID], { cwd: staging });
    const results = validate(built, zipPath);
    assert.ok(
      failed(results).some((result) => result.name === 'archive-root' && /dist\/ must be renamed/.test(result.message))
    );
  });
});

describe('metadata checks fail', () => {
  it('metadata: plugin.json is not JSON', () => {
    const built = fixture(({ write }) => write('plugin.json', '{ "id": '));
    const results = validate(built, zipAs(built, ID, `${ID}.zip`));
    assert.ok(failed(results).some((result) => result.name === 'metadata' && /not valid JSON/.test(result.message)));
  });

  it('metadata-fields: keywords missing, placeholders not replaced, no grafanaDependency', () => {
    const results = validate(
      fixture(({ editPluginJson }) =>
        editPluginJson({
          info: { ...pluginJson().info, keywords: [], version: '%VERSION%', updated: '%TODAY%' },
          dependencies: {},
        })
      )
    );
    assert.deepEqual(
      failed(results).map((result) => result.name),
      ['metadata-fields', 'package-version']
    );
    const [fields] = failed(results);
    assert.match(fields.message, /info\.keywords must list at least one keyword/);
    assert.match(fields.message, /info\.version "%VERSION%" is not a semantic version/);
    assert.match(fields.message, /info\.updated "%TODAY%" is not a date/);
    assert.match(fields.message, /grafanaDependency "undefined"/);
  });

  it('metadata-properties: a property the schema does not know', () => {
    assertOnlyFailure(
      validate(fixture(({ editPluginJson }) => editPluginJson({ metric: true }))),
      'metadata-properties',
      /metric/
    );
  });

  it('plugin-id: id does not follow <org>-<name>-<type>', () => {
    const built = fixture(({ editPluginJson }) => editPluginJson({ id: 'Acme_Example-datasource' }));
    const results = validate(built, zipAs(built, 'Acme_Example-datasource', 'Acme_Example-datasource.zip'));
    assert.deepEqual(
      failed(results).map((result) => result.name),
      ['plugin-id']
    );
  });

  it('type-suffix: id ends with another type', () => {
    const built = fixture(({ editPluginJson }) => editPluginJson({ id: 'acme-example-panel' }));
    const results = validate(built);
    assertOnlyFailure(results, 'type-suffix', /must end with the plugin type "datasource"/);
  });

  it('plugin-name: the name is the id', () => {
    assertOnlyFailure(
      validate(fixture(({ editPluginJson }) => editPluginJson({ name: ID }))),
      'plugin-name',
      /human-friendly/
    );
  });

  it('grafana-dependency: a range pinned to one minor is a warning', () => {
    const results = validate(
      fixture(({ editPluginJson }) => editPluginJson({ dependencies: { grafanaDependency: '12.4.x' } }))
    );
    assertOnlyFailure(results, 'grafana-dependency', /only targets patch releases/);
    assert.equal(failed(results)[0].severity, 'warning');
  });

  it('package-version: package.json and plugin.json disagree', () => {
    const built = fixture(({ root }) =>
      writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.3.0' }))
    );
    assertOnlyFailure(validate(built), 'package-version', /1\.3\.0 differs from plugin\.json version 1\.2\.3/);
  });
});

describe('logo checks fail', () => {
  const withLogos = (logos) =>
    fixture(({ editPluginJson }) => editPluginJson({ info: { ...pluginJson().info, logos } }));

  it('logos: the file is not in the archive', () => {
    assertOnlyFailure(
      validate(withLogos({ small: 'img/logo.svg', large: 'img/large.svg' })),
      'logos',
      /img\/large\.svg" is not in the archive/
    );
  });

  it('logos: a URL or a path starting with ./', () => {
    const results = validate(withLogos({ small: 'https://example.com/logo.svg', large: './img/logo.svg' }));
    assertOnlyFailure(results, 'logos', /not a URL.*must not start with "\." or "\/"/);
  });

  it('logos: not an SVG', () => {
    assertOnlyFailure(
      validate(withLogos({ small: 'img/logo.png', large: 'img/logo.svg' })),
      'logos',
      /must be an SVG image/
    );
  });

  for (const [problem, svg, pattern] of [
    ['a script element', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', /element <script>/],
    ['an event handler', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>', /attribute onload/],
    [
      'a javascript: link',
      '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
      /links to javascript:/,
    ],
    [
      'embedded HTML',
      '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
      /element <foreignObject>/,
    ],
  ]) {
    it(`svg-safe: ${problem}`, () => {
      assertOnlyFailure(validate(fixture(({ write }) => write('img/logo.svg', svg))), 'svg-safe', pattern);
    });
  }

  it('svg-safe: accepts ordinary drawing markup, comments and styles', () => {
    assert.equal(unsafeSvgReason(SAFE_LOGO), undefined);
    assert.equal(
      unsafeSvgReason(
        '<?xml version="1.0"?><!-- <script> in a comment --><svg><defs><style>.a{fill:red}</style></defs><path class="a" d="M0 0"/></svg>'
      ),
      undefined
    );
    assert.match(unsafeSvgReason('<html><body/></html>'), /no <svg> element/);
  });
});

describe('file checks fail', () => {
  it('module-js: missing', () => {
    const results = validate(fixture(({ remove }) => remove('module.js')));
    assert.deepEqual(
      failed(results).map((result) => result.name),
      ['module-js', 'source-map']
    );
  });

  it('module-js: not an AMD module', () => {
    assertOnlyFailure(
      validate(fixture(({ write }) => write('module.js', 'export const plugin = {};'))),
      'module-js',
      /not an AMD module/
    );
  });

  it('source-map: missing', () => {
    assertOnlyFailure(
      validate(fixture(({ remove }) => remove('module.js.map'))),
      'source-map',
      /module\.js\.map is missing/
    );
  });

  it('source-map: sources not embedded', () => {
    const built = fixture(({ write }) =>
      write('module.js.map', JSON.stringify({ version: 3, sources: ['webpack://x/./module.ts'], mappings: '' }))
    );
    assertOnlyFailure(validate(built), 'source-map', /does not embed the sources/);
  });

  it('readme: still the create-plugin template', () => {
    const template = '# Grafana Data Source Plugin Template\n\nThis template is a starting point.\n';
    assertOnlyFailure(
      validate(fixture(({ write }) => write('README.md', template))),
      'readme',
      /create-plugin template/
    );
  });

  it('readme: missing', () => {
    const results = validate(fixture(({ remove }) => remove('README.md')));
    assert.deepEqual(
      failed(results).map((result) => result.name),
      ['readme']
    );
  });

  it('readme-jargon: developer words are a warning', () => {
    const results = validate(fixture(({ write }) => write('README.md', '# Example\n\nRun yarn install.\n')));
    assertOnlyFailure(results, 'readme-jargon', /yarn/);
    assert.equal(failed(results)[0].severity, 'warning');
  });

  it('changelog: missing', () => {
    assertOnlyFailure(
      validate(fixture(({ remove }) => remove('CHANGELOG.md'))),
      'changelog',
      /CHANGELOG\.md is missing/
    );
  });

  it('license: missing', () => {
    assertOnlyFailure(validate(fixture(({ remove }) => remove('LICENSE'))), 'license', /no license file/);
  });

  it('license: a license Grafana does not accept for plugins', () => {
    const mit = 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy...\n';
    assertOnlyFailure(
      validate(fixture(({ write }) => write('LICENSE', mit))),
      'license',
      /not a license Grafana accepts/
    );
  });

  it('tracking-scripts: module.js loads Google Analytics', () => {
    const tracked = 'define([],()=>{const s="https://www.google-analytics.com/analytics.js";return{}});';
    assertOnlyFailure(
      validate(fixture(({ write }) => write('module.js', tracked))),
      'tracking-scripts',
      /google-analytics/
    );
  });
});

describe('the command line', () => {
  const run = (built) =>
    spawnSync(
      process.execPath,
      [
        join(pluginRoot, 'scripts', 'validate-dist.mjs'),
        '--dist',
        built.dist,
        '--out',
        join(built.root, 'out'),
        '--package',
        built.packageJson,
      ],
      { encoding: 'utf8' }
    );

  it('exits 0 and lists every check for a valid build', () => {
    const result = run(fixture());
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /All 19 checks passed/);
  });

  it('exits 1 and names the failed check for a broken build', () => {
    const result = run(fixture(({ remove }) => remove('CHANGELOG.md')));
    assert.equal(result.status, 1);
    assert.match(result.stdout, /FAIL changelog/);
  });

  it('tells to build first when dist/ has no plugin.json', () => {
    const result = run(fixture(({ remove }) => remove('plugin.json')));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /run "npm run build" first/);
  });
});

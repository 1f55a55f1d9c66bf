// Static checks of the Docker demo stack (docker-compose.yml, exporter/Dockerfile, .dockerignore), for machines
// without a Docker engine: nothing here builds or runs an image. Needs Debian's docker-compose (Compose v1, with
// python3-yaml and python3-docker), installed by .ci/run; without it these tests are skipped, not passed.
// Run: npm run test:stack (node:test).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hasCompose = !spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).error;
const skip = hasCompose
  ? false
  : 'docker-compose not installed (apt-get install --no-install-recommends docker-compose)';

/** YAML text -> value, with the python3-yaml that docker-compose v1 depends on. */
function yaml(text) {
  const json = execFileSync(
    'python3',
    ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    {
      input: text,
      encoding: 'utf8',
    },
  );
  return JSON.parse(json);
}

function readYaml(file) {
  return yaml(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

/** "a.b.c" versions compared numerically. */
function atLeast(version, minimum) {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  return true;
}

describe('docker-compose.yml', { skip }, () => {
  let services;
  before(() => {
    // Resolved by docker-compose itself: interpolation, relative paths made absolute, short syntax expanded.
    const config = execFileSync('docker-compose', ['config'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env },
    });
    services = yaml(config).services;
  });

  test('docker-compose config -q accepts it', () => {
    const result = spawnSync('docker-compose', ['config', '-q'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  test('the five services and the two backfill steps; every image pinned to a version', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'alert-sink',
      'alertmanager',
      'backfill-blocks',
      'backfill-history',
      'exporter',
      'grafana',
      'prometheus',
    ]);
    for (const [name, service] of Object.entries(services)) {
      assert.match(service.image, /:v?\d+\.\d+\.\d+[^:]*$/, `${name}: ${service.image} is not pinned`);
    }
    assert.ok(
      atLeast(services.grafana.image.split(':')[1], '12.4.0'),
      'Grafana >= 12.4.0 (the plugin needs it)',
    );
    assert.deepEqual(services.exporter.build.dockerfile, 'exporter/Dockerfile');
    assert.equal(
      path.resolve(ROOT, services.exporter.build.context),
      ROOT,
      'the exporter builds from the repository root',
    );
  });

  test('bind mounts exist in the repository (plugin/dist: after the plugin build)', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':');
        if (!source.startsWith('/')) continue; // a named volume
        const relative = path.relative(ROOT, source);
        assert.ok(!relative.startsWith('..'), `${name}: ${source} is outside the repository`);
        if (relative === path.join('plugin', 'dist')) continue;
        assert.ok(fs.existsSync(source), `${name}: ${relative} does not exist`);
      }
    }
  });

  test('the host names in the configuration files are service names, on the ports they listen on', () => {
    const prometheusYml = fs.readFileSync(path.join(ROOT, 'provisioning/prometheus/prometheus.yml'), 'utf8');
    const alertmanagerYml = fs.readFileSync(
      path.join(ROOT, 'provisioning/alertmanager/alertmanager.yml'),
      'utf8',
    );
    const datasources = readYaml('provisioning/grafana/datasources/datasources.yml').datasources;
    for (const address of ['exporter:9867', 'alertmanager:9093'])
      assert.ok(prometheusYml.includes(`'${address}'`), address);
    assert.ok(alertmanagerYml.includes('http://alert-sink:9099/'));
    assert.equal(datasources.find((d) => d.type === 'prometheus').url, 'http://prometheus:9090');
    assert.equal(
      datasources.find((d) => d.uid === 'compliance-pulse-kpi').jsonData.exporterUrl,
      'http://exporter:9867',
    );

    assert.ok(services.exporter.command.includes('--web.listen-address=:9867'));
    assert.ok(services.exporter.command.includes('--storage.path=/data/compliance-pulse.db'));
    assert.ok(services.exporter.volumes.some((v) => v.endsWith(':/data:rw') || v.endsWith(':/data')));
    assert.deepEqual(services['alert-sink'].command.slice(2, 4), ['--port', '9099']);
    // Prometheus reads the provisioning directory as /etc/prometheus, so rule_files resolve next to the config.
    assert.ok(services.prometheus.command.includes('--config.file=/etc/prometheus/prometheus.yml'));
    assert.ok(
      services.prometheus.volumes.some((v) => v.endsWith('/provisioning/prometheus:/etc/prometheus:ro')),
    );
    assert.ok(
      services.alertmanager.volumes.some((v) => v.endsWith(':/etc/alertmanager/alertmanager.yml:ro')),
    );
    assert.ok(services.alertmanager.command.includes('--config.file=/etc/alertmanager/alertmanager.yml'));
    const published = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [
        name,
        (s.ports ?? []).map((p) => String(p).split(':').slice(-1)[0]),
      ]),
    );
    assert.deepEqual(published, {
      'backfill-blocks': [],
      'backfill-history': [],
      exporter: ['9867/tcp'],
      prometheus: ['9090/tcp'],
      alertmanager: ['9093/tcp'],
      'alert-sink': ['9099/tcp'],
      grafana: ['3000/tcp'],
    });
  });

  test('Prometheus starts on the backfilled history: exporter polled, history written, blocks created, then Prometheus', () => {
    const { prometheus, exporter } = services;
    const history = services['backfill-history'];
    const blocks = services['backfill-blocks'];
    assert.deepEqual(history.depends_on, { exporter: { condition: 'service_healthy' } });
    assert.deepEqual(blocks.depends_on, {
      'backfill-history': { condition: 'service_completed_successfully' },
    });
    assert.equal(prometheus.depends_on['backfill-blocks'].condition, 'service_completed_successfully');
    // The history is written by the exporter's own build, with the script where it finds /app/node_modules.
    assert.equal(history.image, exporter.image);
    assert.deepEqual(history.build, exporter.build);
    assert.deepEqual(history.entrypoint, ['node', '/app/scripts/demo-backfill.mjs']);
    assert.ok(
      history.volumes.some((v) => v.endsWith('/scripts/demo-backfill.mjs:/app/scripts/demo-backfill.mjs:ro')),
    );
    const flag = (name) => history.command.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
    // The instance label Prometheus gives the exporter's samples: the scrape target in prometheus.yml.
    const prometheusYml = fs.readFileSync(path.join(ROOT, 'provisioning/prometheus/prometheus.yml'), 'utf8');
    assert.ok(prometheusYml.includes(`'${flag('instance')}'`), flag('instance'));
    assert.equal(flag('exporter'), `http://${flag('instance')}`);
    // The file goes from one step to the other through a volume; the blocks into Prometheus's own volume.
    const volumeAt = (service, target) =>
      service.volumes.find((v) => v.split(':')[1] === target)?.split(':')[0];
    const historyDir = path.dirname(flag('out'));
    const shared = volumeAt(history, historyDir);
    assert.ok(shared, `backfill-history mounts a volume at ${historyDir}`);
    const [historyMount] = blocks.volumes
      .filter((v) => v.startsWith(`${shared}:`))
      .map((v) => v.split(':')[1]);
    assert.ok(historyMount, 'backfill-blocks mounts the same volume');
    const dataDir = prometheus.command.find((arg) => arg.startsWith('--storage.tsdb.path=')).split('=')[1];
    assert.equal(volumeAt(blocks, dataDir), volumeAt(prometheus, dataDir));
    const script = blocks.command.join(' ');
    assert.match(
      script,
      new RegExp(
        `promtool tsdb create-blocks-from openmetrics \\S* ?${historyMount}/${path.basename(flag('out'))} ${dataDir}`,
      ),
    );
    // Not again on a restart: the volume then holds Prometheus's own data, which the history would overlap.
    assert.match(script, new RegExp(`if \\[ -d ${dataDir}/wal \\]`));
    assert.ok(
      prometheus.command.includes('--storage.tsdb.retention.time=31d'),
      'retention longer than the backfilled 30 days',
    );
  });

  test('Grafana: plugin mounted and allowed unsigned, provisioning and dashboards where the provider reads them', () => {
    const grafana = services.grafana;
    const env = grafana.environment;
    const pluginId = JSON.parse(fs.readFileSync(path.join(ROOT, 'plugin/src/plugin.json'), 'utf8')).id;
    assert.equal(env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS, pluginId);
    assert.equal(env.GF_AUTH_ANONYMOUS_ENABLED, 'true');
    assert.equal(env.GF_AUTH_ANONYMOUS_ORG_ROLE, 'Viewer');
    const mounts = Object.fromEntries(
      grafana.volumes.map((v) => {
        const [source, target] = v.split(':');
        return [target, path.relative(ROOT, source)];
      }),
    );
    assert.equal(mounts[`/var/lib/grafana/plugins/${pluginId}`], path.join('plugin', 'dist'));
    assert.equal(
      mounts['/etc/grafana/provisioning/datasources'],
      path.join('provisioning', 'grafana', 'datasources'),
    );
    assert.equal(
      mounts['/etc/grafana/provisioning/dashboards'],
      path.join('provisioning', 'grafana', 'dashboards'),
    );
    const provider = readYaml('provisioning/grafana/dashboards/dashboards.yml').providers[0];
    assert.equal(mounts[provider.options.path], path.join('dashboards', 'generated'));
    // The home dashboard is a file under that mount: the wall screen.
    const home = env.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    assert.equal(path.dirname(home), provider.options.path);
    const homeJson = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'dashboards', 'generated', path.basename(home)), 'utf8'),
    );
    assert.equal(homeJson.uid, 'cp-wall-screen');
  });
});

describe('exporter/Dockerfile', { skip }, () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'exporter/Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  test('every COPY from the build context exists and is not excluded by .dockerignore', () => {
    // The build context as docker-compose v1 sends it (python3-docker's .dockerignore implementation).
    const context = execFileSync(
      'python3',
      [
        '-c',
        `import os, json
from docker.utils.build import exclude_paths
patterns = [l.strip() for l in open('.dockerignore') if l.strip() and not l.startswith('#')]
print(json.dumps(sorted(exclude_paths('.', patterns, dockerfile='exporter/Dockerfile'))))`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const files = JSON.parse(context);
    const copies = instructions.filter((line) => /^COPY\s/.test(line) && !/--from=/.test(line));
    assert.ok(copies.length >= 4);
    for (const copy of copies) {
      const sources = copy.split(/\s+/).slice(1, -1);
      for (const source of sources) {
        assert.ok(fs.existsSync(path.join(ROOT, source)), `${source} (COPY) does not exist`);
        assert.ok(
          files.some((file) => file === source || file.startsWith(`${source}/`)),
          `${source} (COPY) is excluded from the build context by .dockerignore`,
        );
      }
    }
    assert.ok(
      !files.some((file) => file.split('/').includes('node_modules')),
      'node_modules in the build context',
    );
    assert.ok(!files.some((file) => file.startsWith('.git/')), '.git in the build context');
  });

  test('multi-stage, pinned base image, non-root, health check, demo command', () => {
    const from = instructions.filter((line) => line.startsWith('FROM '));
    assert.equal(from.length, 2);
    const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    assert.match(nodeImage ?? '', /^node:\d+\.\d+\.\d+-\w+$/, 'NODE_IMAGE pinned to a full version');
    assert.ok(instructions.some((line) => /npm ci --workspace exporter --include-workspace-root/.test(line)));
    assert.ok(instructions.includes('USER node'));
    assert.ok(instructions.some((line) => /^HEALTHCHECK .*CMD .*\/-\/ready/.test(line)));
    assert.ok(
      instructions.includes(
        'CMD ["--demo", "--web.listen-address=:9867", "--storage.path=/data/compliance-pulse.db"]',
      ),
    );
    assert.ok(instructions.includes('VOLUME /data'));
    // What the runtime stage copies is what the launcher needs: bin/exporter.js loads dist/src/main.js and,
    // for --demo, dist/simulator/demo.js; the catalog is read from data/.
    for (const file of [
      'exporter/bin/exporter.js',
      'exporter/data/security-hub-controls.csv',
      'exporter/package.json',
    ]) {
      assert.ok(fs.existsSync(path.join(ROOT, file)), file);
    }
    const launcher = fs.readFileSync(path.join(ROOT, 'exporter/bin/exporter.js'), 'utf8');
    assert.match(launcher, /'dist', 'src', 'main\.js'|dist, 'src', 'main\.js'/);
    assert.match(launcher, /'simulator', 'demo\.js'/);
  });
});

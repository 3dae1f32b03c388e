/**
 * The deployment files stay true to the code: every environment name is one the service reads
 * (and the whole environment passes its config check), every port is the one it listens on, every
 * probe path is one it serves, every command is what the build produces, and the grace periods
 * leave room for SHUTDOWN_TIMEOUT_MS.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, ENVIRONMENT_VARIABLES, loadConfig } from '../../src/config.js';
import { READINESS_CHECK_TIMEOUT_MS } from '../../src/lifecycle/service-probes.js';
import { PROBE_PATHS } from '../../src/routes/probes.js';
import { below, flowList, parseYaml, readDockerfile, readYaml, valueAt, type YamlEntry } from '../helpers/deploy-files.js';
import { listen } from '../helpers/listen.js';
import { buildTestApp } from '../helpers/test-app.js';

const [HEALTH, READY] = PROBE_PATHS as [string, string];
const PACKAGE = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; scripts: Record<string, string> };
const BUILD = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as { compilerOptions: { rootDir: string; outDir: string }; files: string[] };
const DEFAULT_PORT = loadConfig({}).port;
const IMAGE = `opensearch-ml-sidecar:${PACKAGE.version}`;
/** Variables node itself reads, which the service leaves to it. */
const NODE_VARIABLES = ['NODE_ENV', 'NODE_EXTRA_CA_CERTS'];
/** Stand-ins for the secrets the files take from `.env` or a Secret, so the config check can run. */
const SECRET_STAND_INS: Record<string, string> = { MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), OPENSEARCH_PASSWORD: 'a-password' };

/** What `npm run build` makes of a source file. */
const compiledPath = (source: string) => source.replace(`${BUILD.compilerOptions.rootDir}/`, `${BUILD.compilerOptions.outDir}/`).replace(/\.ts$/, '.js');

/** The environment as the service would see it: `${X:?...}` and secret references filled in. */
function environmentOf(variables: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, value === undefined || value.startsWith('${') ? SECRET_STAND_INS[name] ?? 'x' : value]));
}

const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1] ?? NaN);

describe('Dockerfile', () => {
  const instructions = readDockerfile('Dockerfile');
  const stages = [...new Set(instructions.map((instruction) => instruction.stage))];
  const final = instructions.filter((instruction) => instruction.stage === stages.at(-1));
  const args = (name: string) => final.filter((instruction) => instruction.name === name).map((instruction) => instruction.args);

  it('should build in one stage and run compiled JavaScript with node, as npm start does, in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = instructions.filter((instruction) => instruction.stage === stages[0] && instruction.name === 'RUN').map((instruction) => instruction.args).join(' ');
    expect(build).toContain('npm ci');
    expect(build).toContain('npm run build');
    expect(PACKAGE.scripts['build']).toBe('tsc -p tsconfig.build.json');
    expect(BUILD.files).toContain('src/main.ts');
    expect(flowList(args('CMD')[0])).toEqual(['node', compiledPath('src/main.ts')]);
    expect(PACKAGE.scripts['start']).toBe(`exec node ${compiledPath('src/main.ts')}`);
    expect(args('COPY')).toContain(`--from=${stages[0]} /app/${BUILD.compilerOptions.outDir} ./${BUILD.compilerOptions.outDir}`);
    expect(args('STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('should run as an unprivileged user', () => {
    const user = args('USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
  });

  it('should listen on the port it exposes and set only variables the service reads', () => {
    const environment = Object.fromEntries(args('ENV').flatMap((line) => line.split(/\s+/)).map((pair) => pair.split('=') as [string, string]));
    expect(Object.keys(environment).filter((name) => !ENVIRONMENT_VARIABLES.includes(name) && !NODE_VARIABLES.includes(name))).toEqual([]);
    expect(args('EXPOSE')).toEqual([String(DEFAULT_PORT)]);
    expect(loadConfig(environment).port).toBe(DEFAULT_PORT);
  });

  it('should copy only what exists and what .dockerignore lets in', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    const sources = instructions.filter((instruction) => instruction.name === 'COPY' && !instruction.args.startsWith('--from')).flatMap((instruction) => instruction.args.split(/\s+/).slice(0, -1));
    expect(sources.filter((source) => !existsSync(source))).toEqual([]);
    expect(sources.filter((source) => ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)))).toEqual([]);
  });

  describe('HEALTHCHECK', () => {
    let server: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      server = await listen(await buildTestApp());
    });
    afterAll(async () => {
      await server.close();
    });
    /** The script's exit code (run asynchronously: the server it probes lives in this process). */
    const healthcheck = (port: string) =>
      new Promise<number | null>((resolve) => spawn(process.execPath, ['scripts/healthcheck.mjs'], { env: { ...process.env, PORT: port } }).once('exit', resolve));

    it('should run the copied script, which probes the liveness path on PORT', async () => {
      const command = flowList(/CMD\s+(\[.*\])$/.exec(args('HEALTHCHECK')[0] ?? '')?.[1]);
      expect(command).toEqual(['node', 'scripts/healthcheck.mjs']);
      expect(args('COPY')).toContain('scripts/healthcheck.mjs ./scripts/healthcheck.mjs');
      expect(readFileSync('scripts/healthcheck.mjs', 'utf8')).toContain(`const HEALTH_PATH = '${HEALTH}';`);
      expect(await healthcheck(new URL(server.url).port)).toBe(0);
    });

    it('should fail when nothing answers', async () => {
      const { port } = new URL(server.url);
      await server.close();
      expect(await healthcheck(port)).toBe(1);
      server = await listen(await buildTestApp());
    });
  });
});

describe('compose.yaml', () => {
  const [compose] = readYaml('compose.yaml') as [YamlEntry[]];
  const services = [...new Set(below(compose, 'services').map((entry) => entry.path[0]!))];
  const sidecars = services.filter((service) => valueAt(compose, 'services', service, 'image') === IMAGE);
  const environment = (service: string) =>
    Object.fromEntries(below(compose, 'services', service, 'environment').map((entry) => [entry.path.join('.'), entry.value]));

  it('should run OpenSearch with its security plugin on', () => {
    const opensearch = services.find((service) => valueAt(compose, 'services', service, 'image')?.startsWith('opensearchproject/opensearch:'));
    expect(opensearch).toBe('opensearch');
    expect(environment('opensearch')['OPENSEARCH_INITIAL_ADMIN_PASSWORD']).toMatch(/^\$\{OPENSEARCH_INITIAL_ADMIN_PASSWORD:\?/);
    expect(environment('opensearch')['DISABLE_SECURITY_PLUGIN']).toBeUndefined();
  });

  it('should run two sidecar replicas on one cluster store, with the service account, that the config accepts', () => {
    expect(sidecars).toHaveLength(2);
    for (const sidecar of sidecars) {
      const variables = environment(sidecar);
      expect(Object.keys(variables).filter((name) => !ENVIRONMENT_VARIABLES.includes(name))).toEqual([]);
      const config = loadConfig(environmentOf(variables));
      expect(config.stateStore).toBe('cluster');
      expect(new URL(config.opensearchUrl!).hostname).toBe('opensearch');
      expect(config.clusterState.account).toMatchObject({ kind: 'basic', username: environment('service-account')['SIDECAR_USERNAME'] });
      expect(variables['OPENSEARCH_PASSWORD']).toBe(environment('service-account')['SIDECAR_PASSWORD']);
      expect(variables['MASTER_KEY']).toBe(environment(sidecars[0]!)['MASTER_KEY']);
      expect(valueAt(compose, 'services', sidecar, 'depends_on', 'service-account', 'condition')).toBe('service_completed_successfully');
      // Docker sends SIGKILL after stop_grace_period (10 s by default).
      expect(seconds(valueAt(compose, 'services', sidecar, 'stop_grace_period')!) * 1000).toBeGreaterThan(config.shutdownTimeoutMs);
    }
  });

  it('should create the service account with the role README "State" documents', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /\*\*The sidecar's account on a secured cluster\.\*\*[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    const [documented] = parseYaml(block ?? '') as [YamlEntry[]];
    const list = (...path: string[]) => below(documented, 'ml_sidecar', ...path).map((entry) => entry.value);
    const role = JSON.parse(readFileSync('deploy/compose/ml-sidecar-role.json', 'utf8'));
    expect(role.cluster_permissions).toEqual(list('cluster_permissions'));
    expect(role.index_permissions).toEqual([
      { index_patterns: flowList(valueAt(documented, 'ml_sidecar', 'index_permissions', '[0]', 'index_patterns')), allowed_actions: list('index_permissions', '[0]', 'allowed_actions') },
    ]);
    expect(flowList(valueAt(compose, 'services', 'service-account', 'entrypoint'))).toEqual(['sh', '/setup/create-service-account.sh']);
    expect(valueAt(compose, 'services', 'service-account', 'volumes', '[0]')).toBe('./deploy/compose:/setup:ro');
    const script = readFileSync('deploy/compose/create-service-account.sh', 'utf8');
    expect(script).toContain('put roles/ml_sidecar "$(cat /setup/ml-sidecar-role.json)"');
  });

  it('should put both replicas behind the load balancer, on the port they listen on', () => {
    const nginx = readFileSync('deploy/compose/nginx.conf', 'utf8');
    const upstream = [...nginx.matchAll(/^\s*server\s+([\w-]+):(\d+)\b/gm)].map((match) => `${match[1]}:${match[2]}`);
    expect(upstream).toEqual(sidecars.map((sidecar) => `${sidecar}:${loadConfig(environmentOf(environment(sidecar))).port}`));
    const listenPort = /^\s*listen\s+(\d+);/m.exec(nginx)?.[1];
    expect(valueAt(compose, 'services', 'load-balancer', 'ports', '[0]')).toBe(`${DEFAULT_PORT}:${listenPort}`);
    for (const sidecar of sidecars) expect(valueAt(compose, 'services', 'load-balancer', 'depends_on', sidecar, 'condition')).toBe('service_healthy');
  });
});

describe('deploy/kubernetes', () => {
  const folder = 'deploy/kubernetes';
  const [deployment] = readYaml(`${folder}/deployment.yaml`) as [YamlEntry[]];
  const [service] = readYaml(`${folder}/service.yaml`) as [YamlEntry[]];
  const [budget] = readYaml(`${folder}/pod-disruption-budget.yaml`) as [YamlEntry[]];
  const pod = below(deployment, 'spec', 'template', 'spec');
  const container = below(pod, 'containers', '[0]');
  const env = [...new Set(below(container, 'env').map((entry) => entry.path[0]!))].map((item) => below(container, 'env', item));
  const variable = (name: string) => env.find((entries) => valueAt(entries, 'name') === name);

  it('should run two replicas of this version as an unprivileged user', () => {
    expect(valueAt(deployment, 'kind')).toBe('Deployment');
    expect(valueAt(deployment, 'spec', 'replicas')).toBe('2');
    expect(valueAt(container, 'image')).toBe(IMAGE);
    expect(valueAt(pod, 'securityContext', 'runAsNonRoot')).toBe('true');
    expect(valueAt(pod, 'securityContext', 'runAsUser')).not.toBe('0');
  });

  it('should set only variables the service reads, take the secrets from a Secret, and pass the config check', () => {
    const names = env.map((entries) => valueAt(entries, 'name')!);
    expect(names.filter((name) => !ENVIRONMENT_VARIABLES.includes(name) && !NODE_VARIABLES.includes(name))).toEqual([]);
    for (const secret of ['MASTER_KEY', 'OPENSEARCH_PASSWORD']) {
      expect(valueAt(variable(secret)!, 'valueFrom', 'secretKeyRef', 'name'), secret).toBe('opensearch-ml-sidecar');
      expect(valueAt(variable(secret)!, 'value'), secret).toBeUndefined();
    }
    const config = loadConfig(environmentOf(Object.fromEntries(env.map((entries) => [valueAt(entries, 'name')!, valueAt(entries, 'value')]))));
    expect(config.stateStore).toBe('cluster');
    expect(valueAt(container, 'ports', '[0]', 'containerPort')).toBe(String(config.port));
  });

  it('should probe liveness and readiness on the paths the service serves, waiting longer than a readiness check', () => {
    const port = valueAt(container, 'ports', '[0]', 'name');
    expect(valueAt(container, 'livenessProbe', 'httpGet', 'path')).toBe(HEALTH);
    expect(valueAt(container, 'readinessProbe', 'httpGet', 'path')).toBe(READY);
    expect(valueAt(container, 'livenessProbe', 'httpGet', 'port')).toBe(port);
    expect(valueAt(container, 'readinessProbe', 'httpGet', 'port')).toBe(port);
    expect(Number(valueAt(container, 'readinessProbe', 'timeoutSeconds')) * 1000).toBeGreaterThan(READINESS_CHECK_TIMEOUT_MS);
  });

  it('should give a stopping pod time for its preStop pause, SHUTDOWN_TIMEOUT_MS and closing', () => {
    const [sleep, pause] = flowList(valueAt(container, 'lifecycle', 'preStop', 'exec', 'command'));
    expect(sleep).toBe('sleep');
    const shutdownTimeoutMs = Number(valueAt(variable('SHUTDOWN_TIMEOUT_MS')!, 'value') ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
    const graceMs = Number(valueAt(pod, 'terminationGracePeriodSeconds')) * 1000;
    expect(graceMs).toBeGreaterThanOrEqual(Number(pause) * 1000 + shutdownTimeoutMs + 5_000);
  });

  it('should serve the pods behind a Service and keep one up through voluntary disruptions', () => {
    const labels = below(deployment, 'spec', 'template', 'metadata', 'labels');
    expect(below(deployment, 'spec', 'selector', 'matchLabels')).toEqual(labels);
    expect(below(service, 'spec', 'selector')).toEqual(labels);
    expect(below(budget, 'spec', 'selector', 'matchLabels')).toEqual(labels);
    expect(valueAt(service, 'spec', 'ports', '[0]', 'targetPort')).toBe(valueAt(container, 'ports', '[0]', 'name'));
    expect(valueAt(service, 'spec', 'ports', '[0]', 'port')).toBe(String(DEFAULT_PORT));
    expect(valueAt(budget, 'kind')).toBe('PodDisruptionBudget');
    expect(Number(valueAt(budget, 'spec', 'minAvailable'))).toBeLessThan(Number(valueAt(deployment, 'spec', 'replicas')));
  });

  it('should list every manifest in its kustomization', () => {
    const [kustomization] = readYaml(`${folder}/kustomization.yaml`) as [YamlEntry[]];
    const manifests = readdirSync(folder).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml').sort();
    expect(below(kustomization, 'resources').map((entry) => entry.value).sort()).toEqual(manifests);
  });
});

describe('README', () => {
  it('should document every environment variable the service reads in its configuration table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const rows = readme.slice(readme.indexOf('## Configuration')).split('\n\n')[2] ?? '';
    expect(ENVIRONMENT_VARIABLES.filter((name) => !rows.includes(`| \`${name}\``) && !rows.includes(`, \`${name}\``))).toEqual([]);
  });
});

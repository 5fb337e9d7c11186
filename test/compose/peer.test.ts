import { LineCounter, isMap, isScalar, parseDocument, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evalModules, parseNix, skipWithoutNix } from '../helpers/nix.ts';
import { mergeModulesJson, moduleToJson } from '../helpers/nix-json.ts';
import { fateOf } from '../strategies/convert-helpers.ts';
import { container, convertCompose, peerFiles, peersMissing, unit } from './helpers.ts';
import type { Converted } from '../strategies/convert-helpers.ts';

/**
 * compose2nix's own test inputs (aksiksi/compose2nix testdata/), read in
 * place from ../shared/peers/compose2nix/testdata. Every file converts
 * without a crash, every key is translated or reported, and every .nix
 * file parses and evaluates with the real Nix. Where compose2nix's output
 * is the better one, nixport matches it (the "matches" tests); where
 * nixport differs on purpose, the test says why.
 */
const missing = peersMissing();

/** compose2nix's tests run without a `name:` under the project name `test`; so do these. */
function convertPeer(file: string, all: Record<string, string>, backend: 'docker' | 'podman' = 'docker'): Converted {
  const files: Record<string, string> = { [file]: all[file]! };
  for (const [path, text] of Object.entries(all)) if (path.endsWith('.env')) files[path] = text;
  const named = /^name:/m.test(all[file]!);
  return convertCompose(files, {
    backend,
    compose: { files: [file], ...(named ? {} : { projectName: 'test' }), ...(file.endsWith('/compose.yml') ? { envFiles: ['testdata/input.env'] } : {}), projectDirectory: '/srv/peer' },
  });
}

/** Lines of every service key and top-level key, from the YAML as written. */
function keyRanges(text: string): { readonly key: string; readonly from: number; readonly to: number }[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const out: { key: string; from: number; to: number }[] = [];
  const range = (key: string, k: Node, v: Node | null) => {
    const from = lines.linePos(k.range![0]).line;
    const to = v?.range ? lines.linePos(Math.max(v.range[1] - 1, v.range[0])).line : from;
    out.push({ key, from, to: Math.max(from, to) });
  };
  if (!isMap(doc.contents)) return out;
  for (const top of doc.contents.items) {
    if (!isScalar(top.key)) continue;
    const name = String(top.key.value);
    if (name === 'services' && isMap(top.value)) {
      for (const svc of top.value.items) {
        if (!isMap(svc.value)) continue;
        for (const k of svc.value.items) if (isScalar(k.key)) range(`services.${String((svc.key as { value: unknown }).value)}.${String(k.key.value)}`, k.key as Node, k.value as Node | null);
      }
    } else if (['networks', 'volumes', 'secrets', 'configs'].includes(name) && isMap(top.value)) {
      for (const k of top.value.items) if (isScalar(k.key)) range(`${name}.${String(k.key.value)}`, k.key as Node, k.value as Node | null);
    } else range(name, top.key as Node, top.value as Node | null);
  }
  return out;
}

describe.skipIf(missing)('the compose2nix peer suite', () => {
  const { compose, all } = missing ? { compose: [], all: {} } : peerFiles();

  it('has the files it is about', () => expect(compose.length).toBeGreaterThanOrEqual(30));

  for (const file of compose) {
    it(`${file}: converts, and every key is translated or reported`, () => {
      const c = convertPeer(file, all);
      expect(c.report.items.filter((i) => i.fate.kind === 'unaccounted').map((i) => `${i.label} (${i.origin.line})`)).toEqual([]);
      // Each key of the file, as written, has an item (a key or a flag) at a line of its value.
      const lines = c.report.items.filter((i) => i.origin.file === file).map((i) => i.origin.line);
      const lost = keyRanges(all[file]!).filter((k) => !lines.some((l) => l >= k.from && l <= k.to));
      expect(lost.map((k) => `${k.key} (line ${k.from})`)).toEqual([]);
    });
  }

  describe.skipIf(skipWithoutNix())('checked by Nix', () => {
    for (const file of compose) {
      for (const backend of ['docker', 'podman'] as const) {
        it(`${file} (${backend}): every .nix file parses, and evaluates to the configuration nixport built`, async () => {
          const c = convertPeer(file, all, backend);
          const files = Object.fromEntries(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => [f.path, String(f.content)]));
          expect(await parseNix(files)).toEqual({});
          const modules = c.run.layout.modules.map((m) => m.path);
          expect(await evalModules(files, modules)).toEqual(mergeModulesJson(c.run.layout.modules.map((m) => moduleToJson(m.expr))));
        });
      }
    }
  });

  describe('matches compose2nix where its output is the better one', () => {
    it('names containers <project>-<service>, networks and volumes <project>_<name>, and joins the default network under the service name', () => {
      const c = convertPeer('testdata/TestNoCreateRootTarget.compose.yml', all);
      expect(container(c, 'test-service')).toMatchObject({ networks: ['test_my-network'], volumes: ['test_my-volume:/mnt/volume'] });
      expect(container(c, 'test-service')['extraOptions']).toContain('--network-alias=service');
    });
    it('creates networks with their IPAM settings and flags, in oneshots ordered before the containers', () => {
      const c = convertPeer('testdata/TestMultipleNetworks.compose.yml', all);
      expect(unit(c, 'docker-network-myproject_test1')['script']).toContain('docker network create --internal --subnet=192.168.10.0/24 myproject_test1');
      expect(unit(c, 'docker-network-myproject_test2')['script']).toContain('--ipv6 --subnet=192.168.11.0/24 --subnet=2001:db8:11::/64 myproject_test2');
      expect(unit(c, 'docker-network-myproject_test1')['before']).toEqual(['docker-traefik.service']);
      // The service's name is an alias on every network it joins, as Compose sets it (compose2nix sets it on the first only).
      expect(container(c, 'traefik')['networks']).toEqual(['myproject_test1', 'name=myproject_test2,alias=traefik,ip=192.168.11.5,ip6=2001:db8:11::5', 'name=myproject_test3,alias=traefik']);
    });
    it('uses external networks and volumes by name and creates none of them', () => {
      const c = convertPeer('testdata/TestExternalNetworksAndVolumes.compose.yml', all);
      expect(container(c, 'traefik')['volumes']).toEqual(['myproject_test1:/test1', 'test2:/test2']);
      expect(unit(c, 'docker-network-test2')).toBeUndefined();
      expect(unit(c, 'docker-volume-test2')).toBeUndefined();
      expect(unit(c, 'docker-volume-myproject_test1')).toBeDefined();
    });
    it('keeps `name:` of networks and volumes', () => {
      const c = convertPeer('testdata/TestNetworkAndVolumeNames.compose.yml', all);
      expect(container(c, 'traefik')['volumes']).toEqual(['test1:/test1', 'my-volume:/test2', 'myproject_test3:/test3']);
    });
    it('creates a macvlan network with its parent, subnet, gateway and aux addresses; the container gets its fixed address', () => {
      const c = convertPeer('testdata/TestMacvlanSupport.compose.yml', all);
      expect(unit(c, 'docker-network-myproject_homenet')['script']).toContain(
        'docker network create --driver=macvlan --opt=parent=enp2s0 --subnet=192.168.8.0/24 --gateway=192.168.8.1 --aux-address=host1=192.168.8.5 myproject_homenet',
      );
      expect(container(c, 'container')['extraOptions']).toEqual(expect.arrayContaining(['--ip=192.168.8.10', '--mac-address=10:50:02:01:00:02', '--dns=192.168.8.1']));
    });
    it('puts the rest of a list entrypoint before the command, and resets the entrypoint with []', () => {
      const c = convertPeer('testdata/TestCommandAndEntrypoint.compose.yml', all);
      expect(container(c, 'test-both')).toMatchObject({ entrypoint: 'nginx', cmd: ['-g', 'daemon off;', '-c', '/etc/config/nginx/conf/nginx.conf', 'ls', '-la', '"escape me please"'] });
      expect(container(c, 'test-empty-command-and-entrypoint')['entrypoint']).toBe('');
      expect(container(c, 'test-string')).toMatchObject({ entrypoint: 'ENV_VAR=${ABC}', cmd: ['bash', '/abc.sh'] });
    });
    it('mounts volume subpaths with --mount', () => {
      const c = convertPeer('testdata/TestVolumeSubpath.compose.yml', all);
      expect(container(c, 'app')['extraOptions']).toEqual(expect.arrayContaining(['--mount=type=volume,source=myproject_shared,target=/app/shared,volume-subpath=app1/files,volume-nocopy,readonly']));
      // Not matched yet: compose2nix writes image mounts (Docker 28+) as --mount; nixport reports them with that flag to add.
      expect(c.report.diagnostics.find((d) => d.code === 'compose/image-mount')?.hint).toBe('add "--mount=type=image,source=data,target=/app/data,image-subpath=configs" to the container\'s extraOptions (Docker 28 or newer, or podman)');
    });
    it('passes NVIDIA GPUs and CDI devices as CDI device names', () => {
      const c = convertPeer('testdata/TestDeployDevices.compose.yml', all);
      expect(container(c, 'test-test')['devices']).toEqual(['nvidia.com/gpu=abc', '/dev/abc:/dev/def:rw', 'nvidia.com/gpu=all']);
      expect(container(c, 'test-deploy-nvidia')['devices']).toEqual(['nvidia.com/gpu=0']);
      // compose2nix drops the request with an unknown driver silently; nixport reports it.
      expect(fateOf(c.report, /device request ignore-me/)).toMatch(/^unsupported: the device driver `ignore-me`/);
    });
    it('keeps soft and hard ulimits', () => {
      const c = convertPeer('testdata/TestUlimits.compose.yml', all);
      expect(container(c, 'test-test-ulimits-mixed')['extraOptions']).toEqual(expect.arrayContaining(['--ulimit=rtprio=99', '--ulimit=memlock=-1', '--ulimit=nofile=1024:524288']));
    });
  });

  describe('differs from compose2nix on purpose', () => {
    it('keeps env_file as environmentFiles at an absolute path, without copying the values into the Nix store (compose2nix inlines them, secrets included, and writes relative paths the option type refuses)', () => {
      const c = convertPeer('testdata/TestComposeEnvFiles.compose.yml', all);
      expect(container(c, 'test-first')['environmentFiles']).toEqual(['/srv/peer/testdata/first.env']);
      expect(container(c, 'test-first')['environment']).toBeUndefined();
    });
    it('moves a secret-looking value out of the configuration (compose2nix writes CLOUDFLARE_API_KEY into the store)', () => {
      const c = convertPeer('testdata/compose.yml', all);
      expect(JSON.stringify(container(c, 'traefik')['environment'] ?? {})).not.toContain('yomama');
      expect(c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n')).not.toContain('yomama');
    });
    it('waits for a healthy dependency instead of only ordering after it (compose2nix has no readiness gate)', () => {
      const c = convertCompose({ 'x/compose.yml': 'services:\n  db: { image: pg, healthcheck: { test: pg_isready } }\n  app: { image: a, depends_on: { db: { condition: service_healthy } } }\n' });
      expect(unit(c, 'docker-x-db')['postStart']).toContain('healthy) exit 0');
    });
    it('keeps the log driver the service named (compose2nix always writes journald and drops the log options)', () => {
      const c = convertPeer('testdata/compose.yml', all);
      expect(container(c, 'myproject-sabnzbd')['log-driver']).toBe('json-file');
    });
    it('does not start a `restart: no` stack differently: Restart=no, but the stack target starts it at boot, and the report says so', () => {
      const c = convertPeer('testdata/TestNoRestart.compose.yml', all);
      expect((unit(c, 'docker-test-test') as { serviceConfig: { Restart: string } }).serviceConfig.Restart).toBe('no');
      expect(unit(c, 'docker-test-test')['wantedBy']).toEqual(['docker-compose-test-root.target']);
    });
  });
});

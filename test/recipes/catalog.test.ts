import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { str, int, list, bool } from '../../src/nix/ast.ts';
import { OWNER } from '../../src/strategies/context.ts';
import { checkDefinitions } from '../../src/recipes/catalog-check.ts';
import { catalogEntry, OPTION_CATALOG } from '../../src/recipes/catalog.ts';
import { OPTION_CATALOG_UPDATE, renderOptionCatalog } from '../../src/recipes/catalog-doc.ts';
import type { Pipeline } from '../../src/pipeline.ts';
import { pipelineFor } from '../e2e/fixtures.ts';
import { nativeDockerRun } from './helpers.ts';

/**
 * Every option a recipe writes is in the catalog, with a value of its
 * type: checked on every stage-3 conversion of the fixtures, and on
 * containers that exercise each recipe's options.
 */
const runs: Pipeline[] = [];

beforeAll(async () => {
  runs.push(await pipelineFor(['examples/storage2'], { stage: 'native' }));
  runs.push(await pipelineFor(['test/fixtures/hosts/photos'], { stage: 'native', host: 'photos' }));
  for (const commands of [
    ['docker run -d --name jf -p 8096:8096 -p 8080:8920 -v /srv/jf:/config -v /srv/jfc:/cache -v /srv/m:/m jellyfin/jellyfin'],
    ['docker run -d --name smb -p 445:445 -p 139:139 -v /srv/a:/a:ro dperson/samba -s "a;/a" -u "bob;pw" -g "log level = 1"'],
    ['docker run -d --name web -p 8080:80 -v /srv/site:/usr/share/nginx/html:ro nginx', 'docker run -d --name hz -p 8200:80 nginx:1'],
    ['docker run -d --name ne -p 10.0.0.2:9200:9100 prom/node-exporter --collector.systemd --no-collector.wifi --log.level=debug'],
    ['docker run -d --name immich -p 10.0.0.2:2300:2283 -e IMMICH_LOG_LEVEL=debug -v /srv/photos:/data ghcr.io/immich-app/immich-server:release'],
  ]) {
    runs.push(nativeDockerRun(commands).run);
  }
});

function nativeDefinitions(run: Pipeline) {
  const owners = new Set(run.plan.services.filter((s) => s.strategy === 'native').map((s) => OWNER.service(s.name)));
  return run.build.tree.definitions.filter((d) => owners.has(d.owner));
}

describe('the option catalog', () => {
  it('has every path the recipes write, with values of its type', () => {
    let checked = 0;
    for (const run of runs) {
      const defs = nativeDefinitions(run);
      checked += defs.length;
      expect(checkDefinitions(defs), run.hostName).toEqual([]);
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('catches a path it does not list and a value of the wrong type', () => {
    expect(checkDefinitions([{ path: ['services', 'jellyfin', 'datadir'], value: str('/srv') }])).toEqual(['services.jellyfin.datadir: no catalog entry']);
    expect(checkDefinitions([{ path: ['services', 'immich', 'port'], value: str('2283') }])).toEqual(['services.immich.port: expected a port number, got string (the catalog says port)']);
    expect(checkDefinitions([{ path: ['systemd', 'services', 'x', 'wantedBy'], value: list([str('multi-user')]) }])).toEqual([
      'systemd.services.x.wantedBy: expected unit names with a type suffix (.service, .mount, ...) (the catalog says listOf unitName)',
    ]);
    expect(checkDefinitions([{ path: ['services', 'jellyfin', 'dataDir'], value: str('relative') }])).toHaveLength(1);
    expect(checkDefinitions([{ path: ['services', 'jellyfin', 'openFirewall'], value: bool(true) }, { path: ['services', 'prometheus', 'exporters', 'node', 'port'], value: int(9100) }])).toEqual([]);
  });

  it('names the nixpkgs file of every option, and no option twice', () => {
    for (const e of OPTION_CATALOG) expect(e.file, e.path).toMatch(/^nixos\/(modules|lib)\/.+\.nix$/);
    expect(new Set(OPTION_CATALOG.map((e) => e.path)).size).toBe(OPTION_CATALOG.length);
    expect(catalogEntry(['services', 'samba', 'settings', 'global', 'aio read size'])?.type).toBe('ini');
  });
});

describe('docs/option-catalog.md', () => {
  it('matches the tables (NIXPORT_UPDATE_DOCS=1 rewrites it)', () => {
    const file = fileURLToPath(new URL('../../docs/option-catalog.md', import.meta.url));
    const rendered = renderOptionCatalog();
    if (process.env['NIXPORT_UPDATE_DOCS'] === '1') writeFileSync(file, rendered);
    const actual = existsSync(file) ? readFileSync(file, 'utf8') : '';
    expect(actual, `docs/option-catalog.md is stale; regenerate it with\n  ${OPTION_CATALOG_UPDATE}`).toBe(rendered);
  });
});

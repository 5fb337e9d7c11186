import { describe, expect, it } from 'vitest';
import { RECIPES } from '../../src/recipes/index.ts';
import { closestRecipes, matchModuleRecipe } from '../../src/recipes/match.ts';
import type { RecipeInput } from '../../src/recipes/types.ts';
import { parseImageReference } from '../../src/sources/docker/image-ref.ts';
import { convertFiles } from '../strategies/convert-helpers.ts';
import { containerUnit, diagnostics, nativeDockerRun, nativeUnits } from './helpers.ts';

function input(image: string, extra: Partial<RecipeInput> = {}): RecipeInput {
  const reference = parseImageReference(image);
  return { image, ...(reference ? { reference } : {}), name: 'x', args: [], ports: [], volumes: [], environment: new Map(), files: new Map(), users: [], prepare: [], ...extra };
}

describe('matching images to recipes', () => {
  it.each([
    ['lscr.io/linuxserver/jellyfin:latest', 'jellyfin'],
    ['jellyfin/jellyfin@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'jellyfin'],
    ['docker.io/jellyfin/jellyfin:10.10', 'jellyfin'],
    ['index.docker.io/dperson/samba', 'samba'],
    ['nginx:1', 'caddy-health'],
    ['docker.io/library/nginx:alpine', 'caddy-health'],
    ['quay.io/prometheus/node-exporter:v1.8.2', 'node-exporter'],
    ['ghcr.io/immich-app/immich-server:release', 'immich'],
  ])('%s -> %s (tag and digest ignored)', (image, app) => {
    const m = matchModuleRecipe(RECIPES, input(image, { ports: [] , network: 'host' }));
    expect('recipe' in m && m.recipe.app).toBe(app);
  });

  it('an image of another namespace does not match (linuxserver is not hotio\'s or the official one)', () => {
    expect('recipe' in matchModuleRecipe(RECIPES, input('example.org/linuxserver/jellyfin'))).toBe(false);
    expect('recipe' in matchModuleRecipe(RECIPES, input('ghcr.io/someone/jellyfin'))).toBe(false);
  });

  it('a container of any image that runs smbd is Samba', () => {
    const m = matchModuleRecipe(RECIPES, input('my-samba:local', { args: ['/usr/sbin/smbd', '--foreground'] }));
    expect('recipe' in m && m.by).toBe('the container runs `smbd`');
  });

  it('names the closest recipes for an image it does not know', () => {
    expect(closestRecipes(RECIPES, 'lscr.io/linuxserver/jellyseerr')[0]).toBe('jellyfin');
    expect(closestRecipes(RECIPES, 'ghcr.io/immich-app/immich-proxy')[0]).toBe('immich');
  });
});

describe('choosing stage 3', () => {
  it('--strategy NAME=native for an image no recipe converts: an error naming the closest recipes; it falls back to stage 2', () => {
    const c = nativeDockerRun(['docker run -d --name jellyseerr -p 5055:5055 -v /srv/js:/app/config fallenbagel/jellyseerr:2'], { stage: 'docker', strategies: { jellyseerr: 'native' } });
    const [error] = c.report.diagnostics.filter((d) => d.code === 'plan/no-recipe');
    expect(error?.severity).toBe('error');
    // The closest by name first; the list grows with the recipes.
    expect(error?.message).toMatch(/^--strategy jellyseerr=native: no recipe converts the image `fallenbagel\/jellyseerr:2`; the closest recipes are jellyfin, [a-z-]+, [a-z-]+$/);
    expect(error?.hint).toMatch(/^jellyseerr falls back to stage 2 \(oci\); `nixport recipes` lists/);
    expect(error?.origin?.file).toBe('--docker-run');
    const service = c.run.plan.services[0]!;
    expect(service.strategy).toBe('oci');
    expect(service.reason).toMatch(/\(stage 3 not possible: no recipe converts the image `fallenbagel\/jellyseerr:2`/);
    expect(c.report.status).toBe('converted-with-errors');
  });

  it('--stage native: stage 3 where a recipe exists, stage 2 otherwise with the reason (a note, no error), stage 1 for plain units', () => {
    const c = nativeUnits({
      'jellyfin.service': containerUnit('--net=host --name jellyfin -v /srv/jf:/config jellyfin/jellyfin'),
      'redis.service': containerUnit('--name redis -p 6379:6379 example/unknown-cache:7'),
      'backup.service': '[Service]\nType=oneshot\nExecStart=/usr/bin/rsync -a /srv /backup',
    });
    expect(Object.fromEntries(c.run.plan.services.map((s) => [s.name, s.strategy]))).toEqual({ jellyfin: 'native', redis: 'oci', backup: 'docker' });
    expect(diagnostics(c, 'plan/no-recipe')).toEqual([]);
    expect(diagnostics(c, 'plan/no-native')).toEqual([expect.stringMatching(/^redis falls back to stage 2 \(oci\): stage 3 is not possible because no recipe converts the image `example\/unknown-cache:7`/)]);
  });

  it('one container per module: a second Jellyfin stays at stage 2, with the reason', () => {
    const c = nativeDockerRun(['docker run -d --name jf1 -v /srv/a:/config jellyfin/jellyfin', 'docker run -d --name jf2 -v /srv/b:/config jellyfin/jellyfin']);
    expect(c.run.plan.services.map((s) => s.strategy)).toEqual(['native', 'oci']);
    expect(c.run.plan.services[1]!.reason).toMatch(/services\.jellyfin is already used by jf1; one container per module/);
  });

  it('--strategy for a unit that runs no container: an error, and it stays at stage 1', () => {
    const c = convertFiles({ 'backup.service': '[Service]\nType=oneshot\nExecStart=/usr/bin/true\n' }, { strategies: { backup: 'native' } });
    expect(diagnostics(c, 'plan/no-recipe')).toEqual(['--strategy backup=native: it runs no container (a plain systemd unit)']);
    expect(c.run.plan.services[0]!.strategy).toBe('docker');
  });

  it('--strategy rrsync=native converts the keys alone; no warning about an unknown service', () => {
    const c = convertFiles({ 'root/.ssh/authorized_keys': 'command="docker run -i -v /srv/b:/srv/b stapelberg/docker-rsync /srv/b" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8mO2nV4bT6cX1zR9qK3wL5yH7uE0sD2fG4hJ6kM8nP x\n' }, { strategies: { rrsync: 'native' } });
    expect(diagnostics(c, 'plan/unknown-service')).toEqual([]);
    expect(c.option('users', 'users', 'root', 'openssh', 'authorizedKeys', 'keys')).toEqual([expect.stringContaining('-rrsync/bin/rrsync /srv/b"')]);
  });
});

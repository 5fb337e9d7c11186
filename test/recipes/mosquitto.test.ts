import { describe, expect, it } from 'vitest';
import { fateOf } from '../strategies/convert-helpers.ts';
import { catalogProblems } from './catalog-of.ts';
import { containerUnit, diagnostics, migrationOf, nativeDockerRun, nativeUnits, unaccounted } from './helpers.ts';

const HASH = '$7$101$abcdefghijklmnop$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g=';
const FILES = [
  'write_files:',
  '  - path: /srv/mosquitto/config/mosquitto.conf',
  '    content: |',
  '      persistence true',
  '      persistence_location /mosquitto/data/',
  '      log_dest file /mosquitto/log/mosquitto.log',
  '      listener 1883',
  '      listener 9001',
  '      protocol websockets',
  '      allow_anonymous false',
  '      password_file /mosquitto/config/passwd',
  '      acl_file /mosquitto/config/acl',
  '  - path: /srv/mosquitto/config/passwd',
  '    content: |',
  `      homeassistant:${HASH}`,
  '  - path: /srv/mosquitto/config/acl',
  '    content: |',
  '      user homeassistant',
  '      topic readwrite #',
].join('\n');
const RUN = '--name mosquitto -p 1883:1883 -p 9001:9001 -v /srv/mosquitto/config:/mosquitto/config -v /srv/mosquitto/data:/mosquitto/data -v /srv/mosquitto/log:/mosquitto/log eclipse-mosquitto:2.0.18';

describe('mosquitto recipe', () => {
  it('mosquitto.conf from write_files becomes the listeners: users with their hashes in secret files, the ACL lines, websockets', () => {
    const c = nativeUnits({ 'mosquitto.service': containerUnit(RUN) }, {}, FILES);
    const listener = (port: number) => ({
      port,
      users: { homeassistant: { hashedPasswordFile: `/var/lib/secrets/mosquitto-${port}-homeassistant.hash` } },
      acl: ['user homeassistant', 'topic readwrite #'],
      settings: port === 9001 ? { allow_anonymous: false, protocol: 'websockets' } : { allow_anonymous: false },
    });
    expect(c.option('services', 'mosquitto')).toEqual({ enable: true, persistence: true, dataDir: '/srv/mosquitto/data', listeners: [listener(1883), listener(9001)] });
    const nix = c.run.layout.files.filter((f) => f.path.endsWith('.nix')).map((f) => String(f.content)).join('\n');
    expect(nix).not.toContain('ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g');
    expect(fateOf(c.report, '-v /srv/mosquitto/log:/mosquitto/log')).toMatch(/^dropped: the broker logs to the journal/);
    expect(catalogProblems(c)).toEqual([]);
    expect(unaccounted(c)).toEqual([]);
  });

  it('keeps mosquitto.db where it was and gives it to mosquitto', () => {
    const c = nativeUnits({ 'mosquitto.service': containerUnit(RUN) }, {}, FILES);
    const m = migrationOf(c, 'mosquitto');
    expect(m.steps.map((s) => s.title)).toEqual([
      'Stop mosquitto on the old host',
      'Keep /srv/mosquitto/data',
      'Switch to the new configuration',
      'Give the state to mosquitto',
      'Check that the broker answers',
      'Check mosquitto.service',
    ]);
  });

  it('an open broker stays open (no password file, no ACL), published elsewhere it listens there', () => {
    const files = ['write_files:', '  - path: /etc/mosquitto.conf', '    content: |', '      listener 1883', '      allow_anonymous true'].join('\n');
    const c = nativeUnits({ 'mqtt.service': containerUnit('--name mqtt -p 11883:1883 -v /etc/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro eclipse-mosquitto:2') }, {}, files);
    expect(c.option('services', 'mosquitto', 'listeners')).toEqual([{ port: 11883, omitPasswordAuth: true, acl: ['pattern readwrite #'], settings: { allow_anonymous: true } }]);
  });

  it('without a readable configuration: listeners from the ports, and nobody logs in until users are set', () => {
    const c = nativeDockerRun(['docker run -d --name mqtt -p 1883:1883 -p 9001:9001 -v /opt/mosquitto/config:/mosquitto/config eclipse-mosquitto']);
    expect(c.option('services', 'mosquitto', 'listeners')).toEqual([{ port: 1883 }, { port: 9001, settings: { protocol: 'websockets' } }]);
    expect(diagnostics(c, 'mosquitto/auth')).toHaveLength(1);
    expect(fateOf(c.report, '-v /opt/mosquitto/config:/mosquitto/config')).toMatch(/^unsupported: mosquitto\.conf is not among the files/);
  });
});

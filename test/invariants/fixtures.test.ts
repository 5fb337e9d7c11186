import { describe, expect, it } from 'vitest';
import { gatherInputs } from '../../src/cli/inputs.ts';
import { convert } from '../../src/index.ts';
import { runPipeline } from '../../src/pipeline.ts';
import { reportOfRun } from '../../src/report/extras.ts';
import { HOSTS } from '../e2e/fixtures.ts';
import { violations } from './check.ts';

/**
 * Invariants 3 and 4 over every host of the end-to-end suite (the example
 * and every reader's fixtures), in each --secrets mode: no secret outside
 * secrets.local/, and every restriction where its item went.
 */
/**
 * Stage 3 landed with known gaps in invariant 4: each is a restriction a
 * native module does not keep yet and the report does not call an error.
 * Listed so that a new gap fails the suite and a fixed one can go; the
 * native recipes own the fixes (see the report to the lead).
 */
const NATIVE_GAPS: readonly string[] = [
  'key: command="/usr/bin/docker run --log-driver none -i -e SSH_ORIGINAL_COMMAND -v /srv/backup/midna:/srv/backup/midna stapelberg/docker-rsync /srv/backup/midna"',
  'read-only volume: /:/host:ro,rslave',
  'read-only volume: /root/samba-password:/run/pw:ro',
  'read-only volume: /opt/sync/sync.pl:/usr/bin/sync.pl:ro',
  'read-only volume: /etc/localtime:/etc/localtime:ro',
];

const isNative = (options: { readonly stage?: string; readonly strategies?: Readonly<Record<string, string>> } | undefined) =>
  options?.stage === 'native' || Object.values(options?.strategies ?? {}).includes('native');

describe('invariants 3 and 4 on every fixture', () => {
  for (const host of HOSTS) {
    for (const secrets of ['files', 'sops', 'agenix'] as const) {
      it(`${host.name}, --secrets ${secrets}`, async () => {
        const inputs = await gatherInputs(host.paths);
        const options = { ...host.options, secrets };
        const run = runPipeline(inputs, options);
        if ('refused' in run) throw new Error(run.refused.message);
        const { files } = convert(inputs, options);
        const report = reportOfRun(run, options, files.map((f) => f.path));
        const found = violations(run, files, report);
        if (!isNative(host.options)) {
          expect(found).toEqual([]);
          return;
        }
        // Invariant 3 holds at stage 3 too; of invariant 4, only the known gaps.
        expect(found.filter((v) => v.invariant === 'secret')).toEqual([]);
        const gap = (v: { invariant: string; item: string }) => `${v.invariant}: ${v.item}`;
        expect(found.filter((v) => !NATIVE_GAPS.some((g) => gap(v).startsWith(g)))).toEqual([]);
      });
    }
  }

  it('checks something: the example holds a secret, keys with options, read-only volumes and a bound port', async () => {
    const run = runPipeline(await gatherInputs(['examples/storage2']));
    if ('refused' in run) throw new Error(run.refused.message);
    expect(run.analysis.secrets.findings.length).toBeGreaterThan(0);
    expect(run.host.authorizedKeys.some((k) => k.options.some((o) => o.name === 'command'))).toBe(true);
    const invocations = run.host.units.flatMap((u) => u.directives.flatMap((d) => (d.exec?.docker ? [d.exec.docker] : [])));
    expect(invocations.some((i) => i.volumes.some((v) => v.readOnly))).toBe(true);
    expect(invocations.some((i) => i.ports.some((p) => p.hostIp !== undefined))).toBe(true);
  });
});

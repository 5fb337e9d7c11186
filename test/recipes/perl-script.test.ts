import { describe, expect, it } from 'vitest';
import { rewritePrograms } from '../../src/strategies/native/script.ts';
import { convertFiles, fateOf } from '../strategies/convert-helpers.ts';
import { diagnostics, unaccounted } from './helpers.ts';

function host(script: string, run: string): string {
  return [
    '#cloud-config',
    'write_files:',
    '  - path: /opt/sync/sync.pl',
    '    permissions: "0755"',
    '    content: |',
    ...script.split('\n').map((l) => `      ${l}`),
    'coreos:',
    '  units:',
    '    - name: sync.service',
    '      content: |',
    '        [Unit]',
    '        After=docker.service srv.mount',
    '        Requires=docker.service',
    '        [Service]',
    '        Type=oneshot',
    `        ExecStart=/usr/bin/docker run --rm --log-driver none ${run}`,
    '    - name: sync.timer',
    '      command: start',
    '      enable: true',
    '      content: |',
    '        [Timer]',
    '        OnCalendar=daily',
    '        [Install]',
    '        WantedBy=timers.target',
  ].join('\n');
}

const SCRIPT = "#!/usr/bin/perl\nuse strict;\nuse JSON;\nuse Data::Dumper;\nmy @rsync = ('rsync', '-e', 'ssh', '/srv/data/', \"${ENV{DEST}}:/\");\nprint `rsync --version`;\nexec @rsync;";

describe('perl-script recipe (post, N7)', () => {
  it('builds the script with writePerlBin, with its CPAN modules, and runs it from the unit and timer', () => {
    const c = convertFiles({ 'cloud-config.yml': host(SCRIPT, '-e DEST=storage3 -v /opt/sync/sync.pl:/usr/bin/sync.pl:ro -v /srv/data:/srv/data:ro -v /root/.ssh:/ssh:ro stapelberg/perl-rsync /usr/bin/sync.pl --dry-run') }, { stage: 'native' });
    const unit = c.option('systemd', 'services', 'sync') as { serviceConfig: Record<string, unknown>; environment: Record<string, string>; after: string[] };
    expect(unit.serviceConfig['ExecStart']).toMatch(/^\/nix\/store\/[a-z0-9]{32}-syncpl\/bin\/syncpl --dry-run$/);
    expect(unit.serviceConfig['ReadOnlyPaths']).toEqual(['/srv/data']);
    expect(unit.serviceConfig['BindReadOnlyPaths']).toEqual(['/root/.ssh:/ssh']);
    expect(unit.environment).toEqual({ DEST: 'storage3' });
    expect(unit.after).toEqual(['srv.mount']);
    expect(c.option('systemd', 'timers', 'sync', 'wantedBy')).toEqual(['timers.target']);
    const text = String(c.run.layout.files.find((f) => f.path === 'services/sync.nix')!.content);
    expect(text).toContain('ExecStart = "${pkgs.writers.writePerlBin "syncpl" {');
    expect(text).toContain('libraries = [ pkgs.perlPackages.JSON ];');
    expect(text).toContain("my @rsync = ('${pkgs.rsync}/bin/rsync', '-e', '${pkgs.openssh}/bin/ssh', '/srv/data/', \"''${ENV{DEST}}:/\");");
    expect(text).toContain('print `${pkgs.rsync}/bin/rsync --version`;');
    expect(c.option('virtualisation', 'docker', 'enable')).toBeUndefined();
    expect(fateOf(c.report, '--log-driver none')).toMatch(/^dropped: the old container discarded/);
    expect(unaccounted(c)).toEqual([]);
  });

  it('reports a Perl module it cannot name', () => {
    const c = convertFiles({ 'cloud-config.yml': host('use strict;\nuse Acme::Thing;\nprint "hi\\n";', '-v /opt/sync/sync.pl:/x.pl:ro perl:5 perl /x.pl') }, { stage: 'native' });
    expect(diagnostics(c, 'native/perl-module')).toEqual(['/opt/sync/sync.pl uses the Perl module Acme::Thing, which nixport cannot name in perlPackages']);
  });

  it('rewrites only whole program words; others go on the unit\'s PATH', () => {
    const r = rewritePrograms("system('ssh host true');\nmy $x = \"use rsync please\";");
    expect(r.rewritten).toEqual(['ssh']);
    expect(r.onPath).toEqual(['rsync']);
  });
});

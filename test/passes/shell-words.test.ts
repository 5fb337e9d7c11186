import { describe, expect, it } from 'vitest';
import { readShell } from '../../src/passes/shell-words.ts';

/** The program word of every command, as written. */
const programs = (script: string) => readShell(script).commands.map((c) => c.words[0]?.text ?? '(assignment only)');

describe('readShell', () => {
  it('finds the programs of the seed unlock payloads', () => {
    expect(programs('c=0; while [ $c -lt 5 ]; do /bin/ping6 -n -c 1 r.zekjur.net && break; c=$((c+1)); sleep 1; done')).toEqual([
      '(assignment only)',
      '[',
      '/bin/ping6',
      'break',
      '(assignment only)',
      'sleep',
    ]);
    expect(
      programs('[ -e "/dev/mapper/x_crypt" ] || (echo -n secret && wget -qO - https://r/n) | /sbin/cryptsetup --key-file=- luksOpen /dev/x x_crypt'),
    ).toEqual(['[', 'echo', 'wget', '/sbin/cryptsetup']);
  });

  it('gives word offsets into the script', () => {
    const script = 'a=1 /usr/bin/env X=1 docker run';
    const [command] = readShell(script).commands;
    expect(command!.assignments.map((w) => w.text)).toEqual(['a=1']);
    expect(command!.words.map((w) => [w.text, script.slice(w.start, w.end)])).toEqual([
      ['/usr/bin/env', '/usr/bin/env'],
      ['X=1', 'X=1'],
      ['docker', 'docker'],
      ['run', 'run'],
    ]);
  });

  it('reads command substitutions and backticks', () => {
    expect(programs('echo "$(/usr/bin/date +%s)" `hostname` $(id -u)')).toEqual(['/usr/bin/date', 'hostname', 'id', 'echo']);
  });

  it('skips arithmetic, parameter expansions and quoted text', () => {
    expect(programs('x=$((1 + (2 * 3))); echo "${a:-b} ls" \'; rm -rf /\'')).toEqual(['(assignment only)', 'echo']);
  });

  it('knows reserved words, functions and case patterns', () => {
    expect(
      programs('f() { curl x; }; if f; then a; elif ! b; then c; else d; fi; for i in 1 2; do e $i; done; case $x in y) g;; *) h;; esac'),
    ).toEqual(['curl', 'f', 'a', 'b', 'c', 'd', 'e', 'g', 'h']);
    expect([...readShell('f() { :; }; function g { :; }').functions]).toEqual(['f', 'g']);
  });

  it('leaves out redirections', () => {
    const [command] = readShell('2>/dev/null >> log foo < in bar 2>&1').commands;
    expect(command!.words.map((w) => w.text)).toEqual(['foo', 'bar']);
  });

  it('gives literal values only to words without expansions', () => {
    const [command] = readShell(`'/usr/bin/x' "a b" $HOME a\\ b *.txt`).commands;
    expect(command!.words.map((w) => w.literal)).toEqual(['/usr/bin/x', 'a b', undefined, 'a b', undefined]);
  });

  it('tells one simple command from more', () => {
    expect(readShell('mount /dev/sdb1 /srv').simple).toBe(true);
    expect(readShell('  mount "/dev/sdb1" /srv  ').simple).toBe(true);
    expect(readShell('mount a b; true').simple).toBe(false);
    expect(readShell('mount $(x) b').simple).toBe(false);
    expect(readShell('if mount a b; then :; fi').simple).toBe(false);
  });

  it('says when it could not read everything', () => {
    expect(readShell('echo "unterminated').complete).toBe(false);
    expect(readShell('cat <<EOF\nx\nEOF').complete).toBe(false);
    expect(readShell('echo $(date').complete).toBe(false);
    expect(readShell('echo ok').complete).toBe(true);
  });
});

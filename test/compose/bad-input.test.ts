import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline.ts';
import { formatOrigin } from '../../src/model/origin.ts';
import { loadError } from './helpers.ts';

/** Bad input: one clear message each, at file:line:col (invariant 6). */
describe('Compose files nixport refuses, with positions', () => {
  const cases: readonly { readonly name: string; readonly files: Record<string, string>; readonly expected: string | RegExp }[] = [
    {
      name: 'an unknown service key, with a suggestion',
      files: { 'compose.yml': 'services:\n  web:\n    image: nginx\n    prots: ["80:80"]\n' },
      expected: 'compose.yml:4:5: services.web: `prots` is not a key the Compose Specification knows here',
    },
    {
      name: 'an unknown top-level key',
      files: { 'compose.yml': 'services:\n  web: { image: nginx }\nservice: {}\n' },
      expected: 'compose.yml:3:1: the file: `service` is not a key the Compose Specification knows here',
    },
    {
      name: 'a value of the wrong type',
      files: { 'compose.yml': 'services:\n  web:\n    image: nginx\n    ports: "80:80"\n' },
      expected: 'compose.yml:4:12: services.web.ports: expected array',
    },
    {
      name: 'a wrong type deep in a long syntax entry',
      files: { 'compose.yml': 'services:\n  web:\n    image: nginx\n    volumes:\n      - type: bind\n        source: ./x\n        target: /x\n        bind: { propagation: [1] }\n' },
      expected: 'compose.yml:8:30: services.web.volumes.0.bind.propagation: expected string',
    },
    {
      name: 'a value outside an enum',
      files: { 'compose.yml': 'services:\n  web:\n    image: nginx\n    depends_on:\n      db: { condition: service_ready }\n  db: { image: pg }\n' },
      expected: /^compose\.yml:5:24: services\.web\.depends_on\.db\.condition: must be equal to one of the allowed values/,
    },
    {
      name: 'a required variable that is not set',
      files: { 'compose.yml': 'services:\n  web:\n    image: "nginx:${TAG:?set TAG in .env}"\n' },
      expected: 'compose.yml:3:12: required variable TAG is not set: set TAG in .env',
    },
    {
      name: 'a bad interpolation',
      files: { 'compose.yml': 'services:\n  web:\n    image: nginx\n    command: echo $1\n' },
      expected: 'compose.yml:4:14: `$` must be followed by a variable name, `{` or another `$` (found `1`)',
    },
    {
      name: 'a cycle in depends_on',
      files: { 'compose.yml': 'services:\n  a: { image: a, depends_on: [b] }\n  b: { image: b, depends_on: [c] }\n  c: { image: c, depends_on: [a] }\n' },
      expected: 'compose.yml:4:31: depends_on goes round in a circle: a → b → c → a',
    },
    {
      name: 'a dependency on a service that does not exist',
      files: { 'compose.yml': 'services:\n  a: { image: a, depends_on: [nope] }\n' },
      expected: 'compose.yml:2:31: a depends on `nope`, which is no active service of the project',
    },
    {
      name: 'a cycle in extends across files',
      files: { 'compose.yml': 'services:\n  a:\n    extends: { file: other.yml, service: b }\n', 'other.yml': 'services:\n  b:\n    extends: { file: compose.yml, service: a }\n' },
      expected: /^(compose|other)\.yml:3:\d+: extends goes round in a circle: a → b → a$/,
    },
    {
      name: 'a YAML syntax error',
      files: { 'compose.yml': 'services:\n  web:\n    image: "nginx\n' },
      // The yaml library reports an unclosed quote where the text ends; nixport points at the quote.
      expected: /^compose\.yml:3:12: invalid YAML: this quote \(`"`\) is never closed/,
    },
    {
      name: 'an extends file that is not among the inputs',
      files: { 'compose.yml': 'services:\n  a:\n    extends: { file: missing.yml, service: b }\n' },
      expected: 'compose.yml:3:22: missing.yml is not among the inputs',
    },
    {
      name: 'a file whose top level is not a mapping',
      files: { 'compose.yml': '- services\n' },
      expected: 'compose.yml:1:1: compose.yml is not a Compose file: its top level is not a mapping',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = loadError(c.files, ['compose.yml']);
      if (typeof c.expected === 'string') expect(got).toBe(c.expected);
      else expect(got).toMatch(c.expected);
    });
  }

  it('suggests the key that was meant', () => {
    const run = runPipeline([{ path: 'compose.yml', content: 'services:\n  web:\n    image: nginx\n    enviroment: { A: "1" }\n' }]);
    expect('refused' in run && run.refused.hint).toBe('did you mean `environment`? (extension keys start with `x-`)');
  });

  it('refuses the whole input (exit 2), as Docker Compose refuses the file', () => {
    const run = runPipeline([{ path: 'stack/compose.yml', content: 'services:\n  web:\n    image: nginx\n    restart: [always]\n' }]);
    expect('refused' in run).toBe(true);
    if ('refused' in run) expect(`${formatOrigin(run.refused.origin!)}: ${run.refused.code}`).toBe('stack/compose.yml:4:14: compose/schema');
  });
});

describe('hostile YAML', () => {
  it('refuses an alias bomb instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const text = `x-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\nservices:\n  a: { image: a }\n`;
    expect(loadError({ 'compose.yml': text }, ['compose.yml'])).toMatch(/^compose\.yml:\d+:\d+: YAML aliases expand to far more data than the file holds$/);
  });
});

describe('YAML that Compose refuses', () => {
  it('a key written twice', () => {
    expect(loadError({ 'compose.yml': 'services:\n  a:\n    image: a\n    image: b\n' }, ['compose.yml'])).toBe('compose.yml:4:5: invalid YAML: the key `image` is already set at line 3');
  });
  it('an alias without its anchor', () => {
    expect(loadError({ 'compose.yml': 'services:\n  a:\n    <<: *base\n    image: a\n' }, ['compose.yml'])).toMatch(/^compose\.yml:3:9: invalid YAML: alias \*base refers to no anchor before it$/);
  });
});

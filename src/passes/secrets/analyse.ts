import type { StandaloneContainer } from '../../model/container.ts';
import type { DockerFlag } from '../../model/docker.ts';
import type { AuthorizedKey, Host, HostFile, User } from '../../model/host.ts';
import type { InputItem, Ledger } from '../../model/ledger.ts';
import type { InputFile } from '../../sources/types.ts';
import type { Origin } from '../../model/origin.ts';
import type { HostSecret, SecretAnalysis, SecretFinding, SecretKind, SecretVariable, TextEdit } from '../../model/secret.ts';
import { originAt, type Directive, type EnvAssignment, type ExecWord, type Unit } from '../../model/unit.ts';
import { assignmentSpans, commandSpans, isSecretAssignment, isSecretName, looksRandom, scanFormats, scriptSpans, withoutOverlaps, type Span, type WordSpan } from './detect.ts';
import { PUBLIC_PATHS, SECRET_PATHS } from './patterns.ts';

/** The prefix of the variables that carry other secrets through systemd's expansion. */
export const SECRET_VARIABLE_PREFIX = 'NIXPORT_SECRET_';

/**
 * Invariant 3: finds every secret in the host (see patterns.ts for what
 * counts) and decides how each consumer will read it from a file. Values
 * that only look random get a warning, never a guess.
 */
export function analyseSecrets(host: Host, ledger: Ledger, inputs: readonly InputFile[] = []): SecretAnalysis {
  const a = new Analyser(ledger);
  for (const unit of host.units) a.unit(unit);
  for (const file of host.files) a.file(file);
  for (const user of host.users) a.user(user);
  for (const key of host.authorizedKeys) a.key(key);
  for (const c of host.containers ?? []) a.container(c);
  for (const s of host.secrets ?? []) a.declared(s);
  if (inputs.length > 0) a.markShared(inputs);
  return a.result();
}

/** A finding while the pass still works on it. */
type Draft = { -readonly [K in keyof SecretFinding]: SecretFinding[K] };

class Analyser {
  private readonly findings: Draft[] = [];
  private readonly execEdits = new Map<Directive, TextEdit[]>();
  private readonly variables = new Map<Directive, SecretVariable[]>();
  private readonly keptAssignments = new Map<Directive, EnvAssignment[]>();
  private readonly credentials = new Map<Directive, { readonly id: string; readonly finding: SecretFinding }>();
  private readonly files = new Map<HostFile, SecretFinding>();
  private readonly users = new Map<User, SecretFinding>();
  private readonly keys = new Map<AuthorizedKey, SecretFinding[]>();
  private readonly flags = new Map<DockerFlag, SecretFinding>();
  private readonly declaredSecrets = new Map<string, { readonly secret: HostSecret; readonly finding?: SecretFinding }>();
  /** Random-looking values warned about, by place: an env file several services read is warned about once. */
  private readonly warnedRandom = new Set<string>();

  constructor(private readonly ledger: Ledger) {}

  /**
   * A value written more often in the input than it was found as a secret
   * is also something public there (the same word as a user name, an
   * image, a host name): it is marked `shared`, so the leak checks look
   * for it only with its context and leave the public uses alone.
   */
  markShared(inputs: readonly InputFile[]): void {
    const found = new Map<string, number>();
    for (const f of this.findings) found.set(f.value, (found.get(f.value) ?? 0) + 1);
    const texts = inputs.map((i) => (typeof i.content === 'string' ? i.content : new TextDecoder().decode(i.content)));
    for (const [value, count] of found) {
      if (value === '') continue;
      let written = 0;
      for (const text of texts) for (let at = text.indexOf(value); at >= 0 && written <= count; at = text.indexOf(value, at + value.length)) written++;
      if (written > count) for (const f of this.findings) if (f.value === value) f.shared = true;
    }
  }

  result(): SecretAnalysis {
    return {
      findings: this.findings,
      execEdits: this.execEdits,
      variables: this.variables,
      keptAssignments: this.keptAssignments,
      credentials: this.credentials,
      files: this.files,
      users: this.users,
      keys: this.keys,
      flags: this.flags,
      declared: this.declaredSecrets,
    };
  }

  private found(kind: SecretKind, what: string, value: string, context: string, origin: Origin, item: InputItem): SecretFinding {
    const finding: Draft = { id: `s${this.findings.length + 1}`, kind, what, value, context, origin, item };
    this.findings.push(finding);
    return finding;
  }

  unit(unit: Unit): void {
    const scope = new UnitScope(unit);
    for (const d of unit.directives) {
      if (d.key === 'Environment' && d.assignments) this.environment(d, scope);
      else if (d.key === 'SetCredential') this.setCredential(d);
      else if (d.exec) this.exec(d, scope);
      else this.otherDirective(d);
    }
  }

  /** `Environment=A=1 DB_PASSWORD=x`: the secret assignments move to the unit's secret environment file. */
  private environment(d: Directive, scope: UnitScope): void {
    const kept: EnvAssignment[] = [];
    const moved: SecretVariable[] = [];
    for (const a of d.assignments!) {
      const formats = scanFormats(a.value);
      if (isSecretAssignment(a.name, a.value) || formats.length > 0) {
        const kind = formats[0]?.kind ?? 'variable';
        const what = `Environment=${a.name}${formats[0] ? ` (${formats[0].what})` : ''}`;
        const finding = this.found(kind, what, a.value, `${a.name}=${a.value}`, originIn(d, a.value), d.item);
        moved.push({ name: a.name, value: a.value, finding });
        scope.claim(a.name, a.value);
      } else {
        kept.push(a);
        this.randomLooking(a.name, a.value, originIn(d, a.value));
      }
    }
    if (moved.length === 0) return;
    this.keptAssignments.set(d, kept);
    this.variables.set(d, moved);
  }

  /** `SetCredential=ID:VALUE` holds the credential itself; LoadCredential= reads it from a file instead. */
  private setCredential(d: Directive): void {
    const colon = d.value.indexOf(':');
    if (colon <= 0) return;
    const value = d.value.slice(colon + 1);
    if (value === '') return;
    const id = d.value.slice(0, colon);
    const finding = this.found('password', `SetCredential=${id}`, value, d.value, originIn(d, value), d.item);
    this.credentials.set(d, { id, finding });
  }

  /** Any other directive is carried as written: what it holds is found (and reported if it stays), not moved. */
  private otherDirective(d: Directive): void {
    const spans = withoutOverlaps([...scanFormats(d.value), ...d.value.split(/[\s]+/).flatMap((w) => {
      const at = d.value.indexOf(w);
      return assignmentSpans(w).map((s) => ({ ...s, start: s.start + at, end: s.end + at }));
    })]);
    for (const s of spans) {
      const value = d.value.slice(s.start, s.end);
      this.found(s.kind, `${d.key}=${s.name !== undefined ? ` ${s.name}` : ''} (${s.what})`, value, contextOf(d.value, s), originIn(d, value), d.item);
    }
  }

  /** Secrets in a command line: each becomes a reference systemd expands, or `-e NAME` for docker. */
  private exec(d: Directive, scope: UnitScope): void {
    const exec = d.exec!;
    const words = exec.words;
    if (words.length === 0) return;
    const values = words.map((w) => w.value);
    const nested = exec.docker?.imageWord !== undefined ? shellPayloadOf(values, exec.docker.imageWord + 1) : undefined;
    const spans: WordSpan[] = commandSpans(values).filter((s) => s.word !== exec.shellPayload && s.word !== nested);
    const docker = exec.docker;
    let payloadWord = exec.shellPayload;
    if (docker?.imageWord !== undefined) {
      // The container's command after the image: its own program's options count (`mysqld --password=x`).
      const offset = docker.imageWord + 1;
      const inner = shellPayloadOf(values, offset);
      for (const s of commandSpans(values.slice(offset))) if (s.word + offset !== inner) spans.push({ ...s, word: s.word + offset });
      // `docker run IMAGE sh -c "..."`: the script the container runs (the post's smbpasswd).
      if (inner !== undefined) payloadWord = inner;
    }
    if (payloadWord !== undefined) {
      const payload = words[payloadWord]!;
      for (const s of scriptSpans(payload.value)) spans.push({ ...s, word: payloadWord });
    }
    const envFlags = new Map<number, DockerFlag>();
    for (const f of docker?.flags ?? []) {
      if (f.name !== '--env' || f.value === undefined || !f.value.includes('=')) continue;
      envFlags.set(words[f.word]!.value.endsWith(f.value) ? f.word : f.word + 1, f);
    }
    const seen = new Set<string>();
    for (const s of spans) {
      const key = `${s.word}:${s.start}:${s.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const word = words[s.word]!;
      const value = word.value.slice(s.start, s.end);
      // A secret in the value of `-e NAME=...`: at stage 2 the whole variable goes to the container's environment file.
      const flag = envFlags.get(s.word);
      const origin = originAt(d, word.offsets[s.start] ?? word.start);
      const what = flag && s.name !== undefined ? `${flag.spelled} ${s.name}` : s.name !== undefined && s.kind === 'variable' ? `${s.name}= in ${d.key}=` : `${s.what} in ${d.key}=`;
      const finding = this.found(s.kind, what, value, contextOf(word.value, s), origin, flag?.item ?? d.item);
      if (flag && !this.flags.has(flag)) this.flags.set(flag, finding);
      this.editExec(d, word, s, finding, flag !== undefined && s.name !== undefined, scope);
    }
    this.randomArguments(d, values);
  }

  private editExec(d: Directive, word: ExecWord, s: Span, finding: SecretFinding, dockerEnv: boolean, scope: UnitScope): void {
    // `:` turns off systemd's variable expansion for the line: the secret cannot be referred to.
    if (d.exec!.prefixes.includes(':')) return;
    const raw = d.raw;
    const valueSpan = rawSpan(raw, word, s.start, s.end);
    if (!valueSpan) return;
    const name = s.name;
    if (dockerEnv && name !== undefined && s.equals !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && scope.canClaim(name, finding.value)) {
      // `-e NAME=value` -> `-e NAME`: docker reads NAME from its own environment, which the unit's file sets.
      const whole = rawSpan(raw, word, s.equals, s.end);
      if (whole) {
        scope.claim(name, finding.value);
        this.addEdit(d, { start: whole.start, end: whole.end, text: '' }, { name, value: finding.value, finding });
        return;
      }
    }
    if (!expandable(raw, valueSpan.start)) return;
    const variable = scope.variableFor(finding.value);
    this.addEdit(d, { start: valueSpan.start, end: valueSpan.end, text: `\${${variable}}` }, { name: variable, value: finding.value, finding });
  }

  private addEdit(d: Directive, edit: TextEdit, variable: SecretVariable): void {
    const edits = this.execEdits.get(d) ?? [];
    if (edits.some((e) => e.start < edit.end && edit.start < e.end)) return;
    edits.push(edit);
    this.execEdits.set(d, edits);
    // One variable may stand for several findings (a password echoed twice): each is listed, and moved.
    const vars = this.variables.get(d) ?? [];
    vars.push(variable);
    this.variables.set(d, vars);
  }

  /** `NAME=value` arguments with random-looking values and names that do not say secret. */
  private randomArguments(d: Directive, values: readonly string[]): void {
    for (const v of values) {
      const m = /^(?:--?[A-Za-z][\w-]*=|-e)?([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(v);
      if (m && !isSecretName(m[1]!)) this.randomLooking(m[1]!, m[2]!, d.item.origin);
    }
  }

  private randomLooking(name: string, value: string, origin: Origin): void {
    const at = `${origin.file}:${origin.line}:${origin.column}:${name}`;
    if (this.warnedRandom.has(at) || !looksRandom(value) || scanFormats(value).length > 0) return;
    this.warnedRandom.add(at);
    this.ledger.report(
      'warning',
      'secrets/random-value',
      `\`${name}\` has a random-looking value (${value.length} characters); nixport kept it in the configuration, where it is world-readable`,
      origin,
      'if it is a secret (a key, a token, a password), move it to an environment file outside the store by hand, or rename the variable so nixport recognises it',
    );
  }

  file(file: HostFile): void {
    if (file.contentOmitted || file.remote) {
      if (file.remote) this.remoteFile(file);
      return;
    }
    const reasons: string[] = [];
    let kind: SecretKind = 'file';
    if (file.text !== undefined) {
      const spans = [...scanFormats(file.text), ...lineAssignments(file.text)];
      if (spans.length > 0) {
        kind = spans[0]!.kind;
        reasons.push(...new Set(spans.map((s) => s.what)));
      }
    }
    if (SECRET_PATHS.test(file.path) && !PUBLIC_PATHS.test(file.path)) reasons.push('a key or password file by its name');
    if (reasons.length === 0) {
      // Kept from other users on the old host, but nothing in it says secret: a warning, not a guess.
      if (file.mode !== undefined && (file.mode & 0o004) === 0 && file.text !== undefined) {
        this.ledger.report(
          'warning',
          'secrets/private-file',
          `${file.path} was not readable by other users on the old host (mode ${file.mode.toString(8).padStart(4, '0')}); its content is carried into the Nix store, which every user can read`,
          file.item.origin,
          'if it holds a secret, move it out of the flake by hand (a file under /var/lib/secrets, or sops-nix/agenix), and tell nixport with a name it recognises',
        );
      }
      return;
    }
    const value = file.text ?? '';
    this.files.set(file, this.found(kind, `${file.path} (${reasons.join('; ')})`, value, value, file.item.origin, file.item));
  }

  /** Ignition fetches a file from a URL at boot: a password in the URL is a secret. */
  private remoteFile(file: HostFile): void {
    const url = file.remote!.url;
    for (const s of scanFormats(url)) {
      const value = url.slice(s.start, s.end);
      this.found(s.kind, `${file.path}: ${s.what} in its source URL`, value, contextOf(url, s), file.item.origin, file.item);
    }
  }

  user(user: User): void {
    const hash = user.passwordHash;
    // A crypt(3) hash (`$6$...`, DES), also behind a lock (`!$6$...`). `!`, `*`, `x` and the like are no secret.
    if (!hash || !/^!*(\$[0-9a-z]+\$\S+|[./0-9A-Za-z]{13})$/.test(hash.value)) return;
    this.users.set(user, this.found('password-hash', `password hash of ${user.name}`, hash.value, hash.value, hash.item.origin, hash.item));
  }

  key(key: AuthorizedKey): void {
    const found: SecretFinding[] = [];
    for (const option of key.options) {
      if (option.value === undefined) continue;
      const name = option.name.toLowerCase();
      const spans = name === 'command' ? scriptSpans(option.value) : name === 'environment' ? assignmentSpans(option.value) : scanFormats(option.value);
      for (const s of spans) {
        const value = option.value.slice(s.start, s.end);
        found.push(this.found(s.kind, `${option.name}= of a key of ${key.user} (${s.what})`, value, contextOf(option.value, s), key.item.origin, key.item));
      }
    }
    if (found.length > 0) this.keys.set(key, found);
  }

  container(c: StandaloneContainer): void {
    const inv = c.invocation;
    for (const flag of inv.flags) {
      if (flag.value === undefined) continue;
      const spans = [...scanFormats(flag.value), ...(flag.name === '--env' || flag.name === '--label' ? assignmentSpans(flag.value) : [])];
      for (const s of withoutOverlaps(spans)) {
        const value = flag.value.slice(s.start, s.end);
        const finding = this.found(s.kind, `${flag.spelled} ${s.name ?? s.what}`, value, contextOf(flag.value, s), flag.item.origin, flag.item);
        if (flag.name === '--env' && !this.flags.has(flag)) this.flags.set(flag, finding);
      }
      if (flag.name === '--env' && !this.flags.has(flag)) {
        const eq = flag.value.indexOf('=');
        if (eq > 0) this.randomLooking(flag.value.slice(0, eq), flag.value.slice(eq + 1), flag.item.origin);
      }
    }
    for (const s of commandSpans(inv.args)) {
      const value = inv.args[s.word]!.slice(s.start, s.end);
      this.found(s.kind, `${s.what} in the container's command`, value, contextOf(inv.args[s.word]!, s), c.item.origin, c.item);
    }
  }

  declared(secret: HostSecret): void {
    const content = secret.content;
    const text = content === undefined ? undefined : typeof content === 'string' ? content : new TextDecoder().decode(content);
    const finding = text === undefined ? undefined : this.found('declared', `secret \`${secret.name}\``, text, text, secret.item.origin, secret.item);
    this.declaredSecrets.set(secret.name, finding ? { secret, finding } : { secret });
  }
}

/**
 * The names a unit's environment uses, for telling whether `-e NAME` can
 * take its value from the unit's secret environment file: not when the
 * unit sets NAME otherwise (Environment=, another `-e NAME=other`).
 */
class UnitScope {
  private readonly taken = new Map<string, string | undefined>();
  private readonly byValue = new Map<string, string>();
  private next = 1;

  constructor(unit: Unit) {
    for (const d of unit.directives) {
      if (d.key === 'Environment' && d.assignments) for (const a of d.assignments) this.taken.set(a.name, a.value);
      for (const f of d.exec?.docker?.flags ?? []) {
        const eq = f.name === '--env' ? (f.value ?? '').indexOf('=') : -1;
        if (eq > 0) {
          const name = f.value!.slice(0, eq);
          const value = f.value!.slice(eq + 1);
          const seen = this.taken.get(name);
          // Two different values for one name in one unit: neither can come from one file.
          this.taken.set(name, this.taken.has(name) && seen !== value ? undefined : value);
        }
      }
    }
  }

  canClaim(name: string, value: string): boolean {
    return this.taken.get(name) === value;
  }

  claim(name: string, value: string): void {
    this.taken.set(name, value);
  }

  /** `NIXPORT_SECRET_n` for a value; the same value gets the same variable. */
  variableFor(value: string): string {
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    let name = `${SECRET_VARIABLE_PREFIX}${this.next++}`;
    while (this.taken.has(name)) name = `${SECRET_VARIABLE_PREFIX}${this.next++}`;
    this.byValue.set(value, name);
    this.taken.set(name, value);
    return name;
  }
}

/** The index of the script of `sh -c SCRIPT` starting at word `from`, if the words are that. */
function shellPayloadOf(values: readonly string[], from: number): number | undefined {
  const program = values[from];
  if (program === undefined || !SHELL_NAMES.has(program.slice(program.lastIndexOf('/') + 1))) return undefined;
  const c = values.indexOf('-c', from + 1);
  return c > 0 && c + 1 < values.length && values.slice(from + 1, c).every((w) => /^-[a-z]+$/.test(w)) ? c + 1 : undefined;
}

const SHELL_NAMES = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/**
 * [start, end) of a word's value as a span of the raw line, when it is
 * written there character for character (no quotes or escapes inside).
 */
function rawSpan(raw: string, word: ExecWord, start: number, end: number): { start: number; end: number } | undefined {
  if (end <= start) return undefined;
  const first = word.offsets[start];
  const last = word.offsets[end - 1];
  if (first === undefined || last === undefined || last - first !== end - start - 1) return undefined;
  if (raw.slice(first, last + 1) !== word.value.slice(start, end)) return undefined;
  return { start: first, end: last + 1 };
}

/** Whether `${VAR}` inserted at `at` is read as a reference: not after an unescaped `$`, `${` or `%`. */
function expandable(raw: string, at: number): boolean {
  const run = (c: string) => {
    let n = 0;
    while (at - 1 - n >= 0 && raw[at - 1 - n] === c) n++;
    return n;
  };
  if (run('$') % 2 === 1 || run('%') % 2 === 1) return false;
  return !(raw[at - 1] === '{' && raw[at - 2] === '$');
}

/** Where a value appears in a directive's raw text, for the diagnostic. */
function originIn(d: Directive, value: string): Origin {
  const at = d.raw.indexOf(value);
  return originAt(d, at < 0 ? 0 : at);
}

/** The secret with what is written around it (`NAME=value`, `--password=value`, `user:value@`). */
function contextOf(text: string, s: Span): string {
  const from = s.equals !== undefined ? Math.max(0, s.equals - (s.name?.length ?? 0)) : Math.max(0, s.start - 1);
  return text.slice(from, Math.min(text.length, s.end + 1));
}

/** `password = x`, `export API_TOKEN=x`, `db_pass: x` lines of a file. */
function lineAssignments(text: string): Span[] {
  const out: Span[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m && isSecretAssignment(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2'))) {
      const value = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
      const start = at + line.indexOf(value, line.indexOf(m[1]!) + m[1]!.length);
      out.push({ start, end: start + value.length, kind: 'password', what: `${m[1]} setting` });
    }
    at += line.length + 1;
  }
  return out;
}

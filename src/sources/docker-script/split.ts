import type { ExecWord } from '../../model/unit.ts';
import { unescapeOne } from '../systemd/exec-split.ts';

/**
 * Splits a shell script into simple commands and their words, the way a
 * POSIX shell would before running them: quotes (`'...'`, `"..."`, `$'...'`),
 * backslash escapes and line continuations, comments, the control operators
 * (`;`, `&`, `&&`, `||`, `|`, newlines, subshell parentheses), redirections
 * (left out of the words) and here-documents (skipped).
 *
 * Variables the script itself assigns (`IMAGE=nginx:1`, `export TZ=...`) are
 * expanded in later commands, with field splitting for unquoted expansions;
 * `${X:-default}` takes the default when X is unknown. What cannot be known
 * without running the script (`$(...)`, backticks, arithmetic, variables set
 * elsewhere, positional parameters) stays in the word as written and is
 * listed in `unresolved`.
 *
 * Words carry offsets into the text, so every flag and value points at the
 * line and column it was written at.
 */

export interface ShellCommand {
  readonly words: readonly ExecWord[];
  /** `NAME=value` words before the program (`TZ=UTC docker run ...`). */
  readonly assignments: readonly { readonly name: string; readonly value: string; readonly offset: number }[];
  /** Offsets of the command's first and past-last characters. */
  readonly start: number;
  readonly end: number;
  /** Inside `if`, a loop, `case`, a function body, `{ }` or a subshell. */
  readonly nested: boolean;
  /** Expansions left as written. */
  readonly unresolved: readonly Expansion[];
  /** Variables of the script that were expanded. */
  readonly resolved: readonly Expansion[];
}

export interface Expansion {
  /** As written: `$(pwd)`, `${TZ}`, `$1`. */
  readonly text: string;
  /** The variable's name, for variables. */
  readonly name?: string;
  readonly offset: number;
}

export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

export interface SplitOptions {
  /** Lines starting with `$ ` are commands copied from a terminal: the prompt is not part of them. */
  readonly prompts?: boolean;
}

const BLANK = new Set([' ', '\t']);
const OPERATOR = new Set([';', '&', '|', '(', ')', '\n']);
const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const OPENERS = new Set(['if', 'while', 'until', 'for', 'case', '{', 'select']);
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
const CONNECTIVES = new Set(['then', 'else', 'elif', 'do', '!', 'in']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws ShellSyntaxError for what a shell would refuse to read (an unclosed quote, say). */
export function splitShell(text: string, options: SplitOptions = {}): ShellCommand[] {
  return new Splitter(text, options).run();
}

/** A word being read: its characters with the offset each was written at. */
class WordBuilder {
  value = '';
  readonly offsets: number[] = [];
  /** Indices of blanks that came from an unquoted expansion: field splitting cuts there. */
  readonly splitting: number[] = [];
  /** Index of the first character from an unquoted expansion. */
  firstExpanded = Number.POSITIVE_INFINITY;

  push(c: string, offset: number, splits = false): void {
    if (splits) {
      if (this.firstExpanded === Number.POSITIVE_INFINITY) this.firstExpanded = this.value.length;
      if (c === ' ' || c === '\t' || c === '\n') this.splitting.push(this.value.length);
    }
    this.value += c;
    this.offsets.push(offset);
  }

  /** Characters [from, to) of the text, written plainly. */
  pushRange(text: string, from: number, to: number): void {
    this.value += text.slice(from, to);
    for (let k = from; k < to; k++) this.offsets.push(k);
  }
}

/** Characters that end a run of plain word characters. */
const SPECIAL = new Set([...WORD_END, '\\', "'", '"', '$', '`']);

interface RawWord {
  readonly chars: WordBuilder;
  readonly start: number;
  readonly end: number;
  /** Written without quotes, escapes or expansions (reserved words are only recognised so). */
  readonly plain: boolean;
  /** Holds quotes: an empty quoted word (`""`) is still a word. */
  readonly quoted: boolean;
}

class Splitter {
  private pos = 0;
  private readonly commands: ShellCommand[] = [];
  private readonly env = new Map<string, string | undefined>();
  private depth = 0;
  private subshells = 0;
  /** Here-documents whose bodies start at the next newline. */
  private readonly heredocs: { delimiter: string; stripTabs: boolean }[] = [];
  // The command being read.
  private words: RawWord[] = [];
  private assignments: { name: string; value: string; offset: number }[] = [];
  private unresolved: Expansion[] = [];
  private resolved: Expansion[] = [];
  private commandStart = -1;
  /** `for NAME in ...` and `case WORD in`: words up to the separator are no command. */
  private skippingHeader = false;

  constructor(
    private readonly text: string,
    private readonly options: SplitOptions,
  ) {}

  run(): ShellCommand[] {
    this.lineStart();
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (BLANK.has(c)) {
        this.pos++;
      } else if (c === '\\' && this.text[this.pos + 1] === '\n') {
        this.pos += 2;
      } else if (c === '#') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
      } else if (OPERATOR.has(c)) {
        this.operator(c);
      } else if (this.isRedirection()) {
        this.redirection();
      } else {
        const word = this.word();
        this.addWord(word);
      }
    }
    this.finish();
    return this.commands;
  }

  /** At the start of a line: skip a copied prompt. */
  private lineStart(): void {
    if (!this.options.prompts) return;
    let p = this.pos;
    while (BLANK.has(this.text[p] ?? '')) p++;
    if (this.text[p] === '$' && BLANK.has(this.text[p + 1] ?? '')) this.pos = p + 2;
  }

  private operator(c: string): void {
    const next = this.text[this.pos + 1];
    if (c === '(' && next === ')' && this.words.length === 1) this.words = [];
    this.finish();
    if (c === '\n') {
      this.pos++;
      this.skippingHeader = false;
      if (this.heredocs.length > 0) this.skipHeredocs();
      this.lineStart();
      return;
    }
    if (c === '(' && next === ')') {
      // `name() { ...; }`: a function definition, not a command.
      this.pos += 2;
      return;
    }
    if (c === '(') this.subshells++;
    if (c === ')' && this.subshells > 0) this.subshells--;
    if (c === ';' || c === '&' || c === '|') this.skippingHeader = false;
    this.pos += (c === '&' || c === '|' || c === ';') && next === c ? 2 : 1;
  }

  private isRedirection(): boolean {
    let p = this.pos;
    while (/[0-9]/.test(this.text[p] ?? '')) p++;
    const c = this.text[p];
    return c === '<' || c === '>';
  }

  /** `>file`, `2>&1`, `<<EOF`: the target word is no argument. */
  private redirection(): void {
    while (/[0-9]/.test(this.text[this.pos] ?? '')) this.pos++;
    const op = /^(<<-|<<<|<<|>>|<&|>&|<>|>\||<|>)/.exec(this.text.slice(this.pos))![0];
    this.pos += op.length;
    while (BLANK.has(this.text[this.pos] ?? '')) this.pos++;
    const at = this.pos;
    if (this.pos >= this.text.length || WORD_END.has(this.text[this.pos]!)) {
      throw new ShellSyntaxError(`the redirection \`${op}\` names no target`, at, 'write the file (or descriptor) after the redirection');
    }
    const target = this.word();
    if (op === '<<' || op === '<<-') {
      this.heredocs.push({ delimiter: target.chars.value, stripTabs: op === '<<-' });
    }
  }

  private skipHeredocs(): void {
    for (const doc of this.heredocs.splice(0)) {
      const opened = this.pos;
      for (;;) {
        if (this.pos >= this.text.length) {
          throw new ShellSyntaxError(`the here-document is never closed by a line \`${doc.delimiter}\``, opened, `end it with a line holding just \`${doc.delimiter}\``);
        }
        const eol = this.text.indexOf('\n', this.pos);
        const end = eol < 0 ? this.text.length : eol;
        let line = this.text.slice(this.pos, end);
        if (doc.stripTabs) line = line.replace(/^\t+/, '');
        this.pos = eol < 0 ? end : end + 1;
        if (line === doc.delimiter) break;
      }
    }
  }

  private addWord(word: RawWord): void {
    const literal = word.plain ? word.chars.value : undefined;
    if (this.words.length === 0 && literal !== undefined && this.assignments.length === 0) {
      if (OPENERS.has(literal)) {
        this.depth++;
        this.skippingHeader = literal === 'for' || literal === 'case' || literal === 'select';
        return;
      }
      if (CLOSERS.has(literal)) {
        this.depth = Math.max(0, this.depth - 1);
        return;
      }
      if (CONNECTIVES.has(literal)) return;
      if (literal === 'function') {
        this.skippingHeader = true;
        return;
      }
    }
    if (this.skippingHeader) return;
    if (this.commandStart < 0) this.commandStart = word.start;
    if (this.words.length === 0) {
      const assignment = this.asAssignment(word);
      if (assignment) {
        this.assignments.push(assignment);
        return;
      }
    }
    this.words.push(word);
  }

  /** `NAME=value` before the program; the name must be written plainly. */
  private asAssignment(word: RawWord): { name: string; value: string; offset: number } | undefined {
    const text = word.chars.value;
    const eq = text.indexOf('=');
    if (eq <= 0 || word.chars.firstExpanded < eq) return undefined;
    const name = text.slice(0, eq);
    if (!NAME.test(name)) return undefined;
    return { name, value: text.slice(eq + 1), offset: word.start };
  }

  /** Ends the command being read: an assignment-only command sets the script's variables. */
  private finish(): void {
    const words: ExecWord[] = [];
    for (const w of this.words) {
      const fields = splitFields(w);
      if (fields.length === 1) words.push(fields[0]!);
      else for (const f of fields) words.push(f);
    }
    if (words.length === 0 && this.assignments.length > 0) {
      for (const a of this.assignments) this.env.set(a.name, this.unresolvedIn(a.offset) ? undefined : a.value);
    } else if (words.length > 0 && (words[0]!.value === 'export' || words[0]!.value === 'readonly')) {
      for (const w of this.words.slice(1)) {
        const a = this.asAssignment(w);
        if (a) this.env.set(a.name, this.unresolvedIn(a.offset) ? undefined : a.value);
      }
    } else if (words.length > 0) {
      this.commands.push({
        words,
        assignments: this.assignments,
        start: this.commandStart,
        end: this.pos,
        nested: this.depth > 0 || this.subshells > 0,
        unresolved: this.unresolved,
        resolved: this.resolved,
      });
    }
    this.words = [];
    this.assignments = [];
    this.unresolved = [];
    this.resolved = [];
    this.commandStart = -1;
  }

  private unresolvedIn(offset: number): boolean {
    return this.unresolved.some((u) => u.offset >= offset);
  }

  /** Reads one word, up to an unquoted blank or operator. */
  private word(): RawWord {
    const chars = new WordBuilder();
    const start = this.pos;
    let plain = true;
    let quoted = false;
    const push = (c: string, offset: number, splits = false) => chars.push(c, offset, splits);
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (WORD_END.has(c)) break;
      if (c === '\\') {
        plain = false;
        const next = this.text[this.pos + 1];
        if (next === '\n') this.pos += 2;
        else if (next === undefined) {
          push(c, this.pos);
          this.pos++;
        } else {
          push(next, this.pos);
          this.pos += 2;
        }
      } else if (c === "'") {
        plain = false;
        quoted = true;
        this.singleQuoted(push);
      } else if (c === '"') {
        plain = false;
        quoted = true;
        this.doubleQuoted(push);
      } else if (c === '$') {
        if (this.text[this.pos + 1] === "'") {
          plain = false;
          quoted = true;
          this.ansiQuoted(push);
        } else if (!this.dollar(push, false)) {
          push(c, this.pos);
          this.pos++;
        } else plain = false;
      } else if (c === '`') {
        plain = false;
        this.backticks(push);
      } else {
        // A run of plain characters at once: most of a command line is such runs.
        let end = this.pos + 1;
        while (end < this.text.length && !SPECIAL.has(this.text[end]!)) end++;
        chars.pushRange(this.text, this.pos, end);
        this.pos = end;
      }
    }
    return { chars, start, end: this.pos, plain, quoted };
  }

  private singleQuoted(push: (c: string, offset: number) => void): void {
    const open = this.pos;
    const close = this.text.indexOf("'", open + 1);
    if (close < 0) throw unclosed("'", open);
    for (let p = open + 1; p < close; p++) push(this.text[p]!, p);
    this.pos = close + 1;
  }

  private doubleQuoted(push: (c: string, offset: number, splits?: boolean) => void): void {
    const open = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw unclosed('"', open);
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        if (next === '\n') this.pos += 2;
        else if (next === '$' || next === '`' || next === '"' || next === '\\') {
          push(next, this.pos);
          this.pos += 2;
        } else {
          push(c, this.pos);
          this.pos++;
        }
      } else if (c === '$') {
        if (!this.dollar(push, true)) {
          push(c, this.pos);
          this.pos++;
        }
      } else if (c === '`') {
        this.backticks(push);
      } else {
        push(c, this.pos);
        this.pos++;
      }
    }
  }

  /** `$'...'`: C escapes, as bash reads them. */
  private ansiQuoted(push: (c: string, offset: number) => void): void {
    const open = this.pos;
    this.pos += 2;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw unclosed("$'", open);
      if (c === "'") {
        this.pos++;
        return;
      }
      if (c === '\\') {
        const escape = unescapeOne(this.text, this.pos + 1);
        if (escape) {
          for (const ch of escape.value) push(ch, this.pos);
          this.pos += 1 + escape.length;
        } else {
          push(this.text[this.pos + 1] ?? c, this.pos);
          this.pos += 2;
        }
      } else {
        push(c, this.pos);
        this.pos++;
      }
    }
  }

  /**
   * Reads an expansion at `$`; false when the `$` is a plain character.
   * Known variables are expanded; the rest stays as written.
   */
  private dollar(push: (c: string, offset: number, splits?: boolean) => void, quoted: boolean): boolean {
    const at = this.pos;
    const next = this.text[at + 1];
    const keep = (end: number, name?: string) => {
      const written = this.text.slice(at, end);
      for (let p = at; p < end; p++) push(this.text[p]!, p);
      this.unresolved.push(name === undefined ? { text: written, offset: at } : { text: written, name, offset: at });
      this.pos = end;
    };
    const expand = (end: number, name: string, value: string) => {
      for (const ch of value) push(ch, at, !quoted);
      this.resolved.push({ text: this.text.slice(at, end), name, offset: at });
      this.pos = end;
    };
    if (next === '(') {
      keep(this.matching(at + 1, '(', ')', quoted));
      return true;
    }
    if (next === '{') {
      const close = this.matching(at + 1, '{', '}', quoted);
      const body = this.text.slice(at + 2, close - 1);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([\s\S]*))?$/.exec(body);
      if (!m) {
        keep(close);
        return true;
      }
      const name = m[1]!;
      const value = this.env.get(name);
      if (value !== undefined && !(m[2] === ':-' && value === '')) expand(close, name, value);
      else if (m[2] !== undefined && !this.env.has(name) && !/[$`\\'"]/.test(m[3]!)) expand(close, name, m[3]!);
      else keep(close, name);
      return true;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(at + 1))?.[0];
    if (name !== undefined) {
      const end = at + 1 + name.length;
      const value = this.env.get(name);
      if (value !== undefined) expand(end, name, value);
      else keep(end, name);
      return true;
    }
    if (next !== undefined && /[0-9@*#?$!-]/.test(next)) {
      keep(at + 2);
      return true;
    }
    return false;
  }

  private backticks(push: (c: string, offset: number) => void): void {
    const open = this.pos;
    let p = open + 1;
    while (p < this.text.length && this.text[p] !== '`') p += this.text[p] === '\\' ? 2 : 1;
    if (p >= this.text.length) throw unclosed('`', open);
    for (let k = open; k <= p; k++) push(this.text[k]!, k);
    this.unresolved.push({ text: this.text.slice(open, p + 1), offset: open });
    this.pos = p + 1;
  }

  /** The offset past the bracket that closes the one at `open`, over nested quotes and brackets. */
  private matching(open: number, left: string, right: string, quoted: boolean): number {
    let depth = 0;
    let p = open;
    while (p < this.text.length) {
      const c = this.text[p]!;
      if (c === '\\') {
        p += 2;
        continue;
      }
      if (c === "'" && left === '(' && !quoted) {
        const close = this.text.indexOf("'", p + 1);
        if (close < 0) throw unclosed("'", p);
        p = close + 1;
        continue;
      }
      if (c === '"' && left === '(') {
        p = this.skipDoubleQuotes(p);
        continue;
      }
      if (c === left) depth++;
      else if (c === right && --depth === 0) return p + 1;
      p++;
    }
    throw new ShellSyntaxError(
      `\`$${left}\` is never closed by \`${right}\``,
      open - 1,
      `close it with \`${right}\`; a quote or bracket inside may be unbalanced`,
    );
  }

  private skipDoubleQuotes(open: number): number {
    let p = open + 1;
    while (p < this.text.length && this.text[p] !== '"') p += this.text[p] === '\\' ? 2 : 1;
    if (p >= this.text.length) throw unclosed('"', open);
    return p + 1;
  }
}

function unclosed(quote: string, offset: number): ShellSyntaxError {
  return new ShellSyntaxError(
    `the quote \`${quote}\` is never closed`,
    offset,
    `close it with a matching \`${quote === "$'" ? "'" : quote}\`, or escape it with a backslash`,
  );
}

/** Field splitting: blanks that came from an unquoted expansion separate words; an unquoted empty expansion leaves none. */
function splitFields(word: RawWord): ExecWord[] {
  const { value, offsets, splitting } = word.chars;
  if (splitting.length === 0) {
    if (value === '' && !word.quoted) return [];
    return [{ value, start: word.start, end: word.end, offsets }];
  }
  const out: ExecWord[] = [];
  let from = 0;
  for (const cut of [...splitting, value.length]) {
    if (cut > from) {
      const last = cut === value.length;
      out.push({ value: value.slice(from, cut), start: offsets[from]!, end: last ? word.end : offsets[cut - 1]! + 1, offsets: offsets.slice(from, cut) });
    }
    from = cut + 1;
  }
  return out;
}

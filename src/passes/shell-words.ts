/**
 * A light reader for the shell one-liners of unit files (`/bin/sh -c "..."`)
 * and forced commands of authorized_keys. It finds the simple commands of a
 * script and their words, with offsets, so that programs in command position
 * can be rewritten in place. It is not a shell parser: it knows quotes,
 * escapes, `$(...)`, backticks, `${...}`, `$((...))`, the control operators,
 * redirections, and the reserved words that start or end compound commands.
 * Whatever it cannot follow (here-documents, unbalanced quotes) makes
 * `complete` false, and the caller says so.
 */

export interface ShellWord {
  /** [start, end) in the script, quotes included. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The value after quote removal, when the word expands to nothing else (no `$`, backticks or globs). */
  readonly literal?: string;
}

export interface SimpleCommand {
  /** `NAME=value` words before the program. */
  readonly assignments: readonly ShellWord[];
  /** The program and its arguments; redirections left out. */
  readonly words: readonly ShellWord[];
}

export interface ShellScript {
  /** Every simple command, those inside substitutions included, in the order they end. */
  readonly commands: readonly SimpleCommand[];
  /** Names defined as functions (`name() { ...; }`): they are not programs. */
  readonly functions: ReadonlySet<string>;
  /** True when the script is one simple command: no operators, compound commands or substitutions. */
  readonly simple: boolean;
  /** False when part of the script could not be read. */
  readonly complete: boolean;
}

const OPENING_KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '{']);
const CLOSING_KEYWORDS = new Set(['fi', 'done', 'esac', '}']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const BLANK = new Set([' ', '\t']);
const OPERATOR_START = new Set([';', '&', '|', '(', ')', '<', '>', '\n']);

export function readShell(script: string): ShellScript {
  const reader = new Reader(script);
  reader.list(undefined);
  if (reader.pos < script.length) reader.complete = false;
  return {
    commands: reader.commands,
    functions: reader.functions,
    simple: reader.complete && !reader.compound && reader.commands.length <= 1,
    complete: reader.complete,
  };
}

/** What kind of word the list expects next. */
type Expect =
  | 'command' // a program, an assignment, or a reserved word
  | 'argument' // an argument of the current command
  | 'skip' // words that are not commands (a `for` header) until the next separator
  | 'case-word' // `case WORD in`: words up to `in`
  | 'function-name' // `function NAME`
  | 'pattern'; // `pattern)` inside a case

class Reader {
  pos = 0;
  readonly commands: SimpleCommand[] = [];
  readonly functions = new Set<string>();
  compound = false;
  complete = true;
  /** Inside backticks an unescaped backtick ends the substitution (nesting needs `\``). */
  private backticks = 0;

  constructor(private readonly src: string) {}

  /** Reads commands until `terminator` (`)` of `$(`, a backtick) or the end; consumes the terminator. */
  list(terminator: ')' | '`' | undefined): void {
    let expect: Expect = 'command';
    let assignments: ShellWord[] = [];
    let words: ShellWord[] = [];
    let subshells = 0;
    let openCases = 0;

    const finish = () => {
      if (words.length > 0 || assignments.length > 0) this.commands.push({ assignments, words });
      assignments = [];
      words = [];
    };

    while (this.complete && this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (BLANK.has(c) || (c === '\\' && this.src[this.pos + 1] === '\n')) {
        this.pos += c === '\\' ? 2 : 1;
        continue;
      }
      if (c === '#' && this.atWordStart()) {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (terminator === '`' && c === '`') {
        finish();
        this.pos++;
        return;
      }
      if (OPERATOR_START.has(c) && !this.isRedirectionStart()) {
        const op = this.operator();
        if (op === ')') {
          if (expect === 'pattern') {
            expect = 'command';
            continue;
          }
          finish();
          if (subshells > 0) {
            subshells--;
            expect = 'argument';
            continue;
          }
          if (terminator === ')') return;
          this.compound = true;
          continue;
        }
        if (op === '(') {
          this.compound = true;
          if (words.length === 1 && assignments.length === 0 && this.peekNonBlank() === ')') {
            // `name() { ...; }` defines a function.
            const name = words[0]!.literal;
            if (name !== undefined) this.functions.add(name);
            words = [];
            this.skipBlanks();
            this.operator();
            expect = 'command';
            continue;
          }
          finish();
          if (expect === 'pattern') continue; // `case x in (a) ...` allows a leading paren
          subshells++;
          expect = 'command';
          continue;
        }
        finish();
        if (op === '\n' && (expect === 'case-word' || expect === 'pattern')) continue;
        if (op !== '\n' || this.pos < this.src.length) this.compound = true;
        if (op === ';;' || op === ';&' || op === ';;&') {
          expect = openCases > 0 ? 'pattern' : 'command';
          continue;
        }
        expect = 'command';
        continue;
      }
      if (this.isRedirectionStart()) {
        this.redirection();
        continue;
      }

      const word = this.word();
      if (word === undefined) return;
      switch (expect) {
        case 'skip':
          continue;
        case 'case-word':
          if (word.literal === 'in') expect = 'pattern';
          continue;
        case 'function-name':
          if (word.literal !== undefined) this.functions.add(word.literal);
          if (this.peekNonBlank() === '(') {
            this.skipBlanks();
            this.operator();
            if (this.peekNonBlank() === ')') {
              this.skipBlanks();
              this.operator();
            }
          }
          expect = 'command';
          continue;
        case 'pattern':
          if (word.literal === 'esac') {
            openCases--;
            expect = 'argument';
          }
          continue;
        case 'argument':
          words.push(word);
          continue;
        case 'command': {
          const keyword = words.length === 0 && assignments.length === 0 ? word.literal : undefined;
          if (keyword !== undefined && OPENING_KEYWORDS.has(keyword)) {
            this.compound = true;
            continue;
          }
          if (keyword !== undefined && CLOSING_KEYWORDS.has(keyword)) {
            this.compound = true;
            if (keyword === 'esac') openCases = Math.max(0, openCases - 1);
            expect = 'argument';
            continue;
          }
          if (keyword === 'function') {
            this.compound = true;
            expect = 'function-name';
            continue;
          }
          if (keyword === 'for' || keyword === 'select' || keyword === '[[') {
            this.compound = true;
            expect = 'skip';
            continue;
          }
          if (keyword === 'case') {
            this.compound = true;
            openCases++;
            expect = 'case-word';
            continue;
          }
          if (ASSIGNMENT.test(word.text) && words.length === 0) {
            assignments.push(word);
            continue;
          }
          words.push(word);
          expect = 'argument';
          continue;
        }
      }
    }
    finish();
    if (terminator !== undefined) this.complete = false;
  }

  private atWordStart(): boolean {
    const before = this.src[this.pos - 1];
    return before === undefined || BLANK.has(before) || OPERATOR_START.has(before);
  }

  private peekNonBlank(): string | undefined {
    let i = this.pos;
    while (i < this.src.length && BLANK.has(this.src[i]!)) i++;
    return this.src[i];
  }

  private skipBlanks(): void {
    while (this.pos < this.src.length && BLANK.has(this.src[this.pos]!)) this.pos++;
  }

  private operator(): string {
    const rest = this.src.slice(this.pos, this.pos + 3);
    for (const op of [';;&', '&&', '||', ';;', ';&', '|&']) {
      if (rest.startsWith(op)) {
        this.pos += op.length;
        return op;
      }
    }
    const c = this.src[this.pos]!;
    this.pos++;
    return c;
  }

  /** `<`, `>`, or digits followed by one (`2>&1`); `&>` too. */
  private isRedirectionStart(): boolean {
    let i = this.pos;
    const c = this.src[i];
    if (c === '<' || c === '>') return true;
    if (c === '&' && this.src[i + 1] === '>') return true;
    if (!this.atWordStart()) return false;
    while (i < this.src.length && /[0-9]/.test(this.src[i]!)) i++;
    return i > this.pos && (this.src[i] === '<' || this.src[i] === '>');
  }

  /** Skips a redirection operator and its target word. */
  private redirection(): void {
    while (/[0-9]/.test(this.src[this.pos] ?? '')) this.pos++;
    const op = /^(<<<|<<-|<<|<>|<&|>>|>&|>\||&>>|&>|<|>)/.exec(this.src.slice(this.pos))?.[0] ?? '';
    this.pos += op.length;
    if (op === '<<' || op === '<<-') {
      // Here-documents span lines this reader does not follow.
      this.complete = false;
      return;
    }
    while (this.pos < this.src.length && BLANK.has(this.src[this.pos]!)) this.pos++;
    if (this.pos < this.src.length && !OPERATOR_START.has(this.src[this.pos]!)) this.word();
  }

  /** Reads one word; nested substitutions add their commands on the way. */
  private word(): ShellWord | undefined {
    const start = this.pos;
    let literal: string | undefined = '';
    const spoil = () => {
      literal = undefined;
    };
    const add = (s: string) => {
      if (literal !== undefined) literal += s;
    };
    while (this.complete && this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (BLANK.has(c) || OPERATOR_START.has(c) || (c === '`' && this.backticks > 0)) break;
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === undefined) {
          this.pos++;
          break;
        }
        if (next === '\n') break;
        add(next);
        this.pos += 2;
      } else if (c === "'") {
        const close = this.src.indexOf("'", this.pos + 1);
        if (close < 0) {
          this.complete = false;
          return undefined;
        }
        add(this.src.slice(this.pos + 1, close));
        this.pos = close + 1;
      } else if (c === '"') {
        this.pos++;
        if (!this.doubleQuoted(add, spoil)) return undefined;
      } else if (c === '$' || c === '`') {
        spoil();
        this.expansion();
      } else {
        if (c === '*' || c === '?') spoil();
        add(c);
        this.pos++;
      }
    }
    const end = this.pos;
    if (end === start) {
      this.complete = false;
      return undefined;
    }
    const text = this.src.slice(start, end);
    return literal === undefined ? { start, end, text } : { start, end, text, literal };
  }

  /** After an opening `"`: reads to the closing one. */
  private doubleQuoted(add: (s: string) => void, spoil: () => void): boolean {
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (c === '"') {
        this.pos++;
        return true;
      }
      if (c === '\\' && '$`"\\\n'.includes(this.src[this.pos + 1] ?? '')) {
        add(this.src[this.pos + 1]!);
        this.pos += 2;
      } else if (c === '$' || c === '`') {
        spoil();
        this.expansion();
      } else {
        add(c);
        this.pos++;
      }
    }
    this.complete = false;
    return false;
  }

  /** At `$` or a backtick: skips a parameter, arithmetic, or command substitution, reading the latter's commands. */
  private expansion(): void {
    const src = this.src;
    if (src[this.pos] === '`') {
      this.pos++;
      this.compound = true;
      this.backticks++;
      this.list('`');
      this.backticks--;
      return;
    }
    const next = src[this.pos + 1];
    if (next === '(' && src[this.pos + 2] === '(') {
      this.pos = this.skipBalanced(this.pos + 1, '(', ')');
      return;
    }
    if (next === '(') {
      this.pos += 2;
      this.compound = true;
      this.list(')');
      return;
    }
    if (next === '{') {
      this.pos = this.skipBalanced(this.pos + 1, '{', '}');
      return;
    }
    this.pos++;
    // `$name`, `$1`, `$?` ...: the name is part of the word anyway.
  }

  /** From an opening bracket at `at`, the index after its match (quotes respected). */
  private skipBalanced(at: number, open: string, close: string): number {
    let depth = 0;
    for (let i = at; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === '\\') i++;
      else if (c === "'") {
        const q = this.src.indexOf("'", i + 1);
        if (q < 0) break;
        i = q;
      } else if (c === open) depth++;
      else if (c === close && --depth === 0) return i + 1;
    }
    this.complete = false;
    return this.src.length;
  }
}

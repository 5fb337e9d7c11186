/**
 * JSON with positions: a small recursive-descent parser (RFC 8259, as strict
 * as Go's encoding/json, which Ignition uses) that keeps the offset of every
 * key and value, so that each message can say file:line:col and the JSON
 * pointer of the value it is about. Strings remember where each decoded
 * character was written, so positions inside a unit file embedded with `\n`
 * escapes still point at the right character.
 */
import { InputError } from '../../model/diagnostic.ts';
import type { Origin } from '../../model/origin.ts';

export type JsonNode = JsonObject | JsonArray | JsonString | JsonScalar;

interface Span {
  /** Offsets into the text: [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface JsonMember {
  readonly key: string;
  readonly keyStart: number;
  readonly value: JsonNode;
}

export interface JsonObject extends Span {
  readonly type: 'object';
  readonly members: readonly JsonMember[];
}

export interface JsonArray extends Span {
  readonly type: 'array';
  readonly items: readonly JsonNode[];
}

export interface JsonString extends Span {
  readonly type: 'string';
  readonly value: string;
  /**
   * For strings with escapes: the text offset each UTF-16 unit of `value`
   * was written at. Absent when the string is written as is (value[i] is at
   * start + 1 + i).
   */
  readonly sources?: Int32Array;
}

export interface JsonScalar extends Span {
  readonly type: 'number' | 'boolean' | 'null';
  readonly value: number | boolean | null;
  /** The number as written, for integer checks (`1.0`, `1e3`). */
  readonly text: string;
}

export interface JsonDocument {
  readonly file: string;
  readonly text: string;
  readonly root: JsonNode;
  readonly origin: (offset: number) => Origin;
}

/** The JSON pointer (RFC 6901) of a path of keys and indexes. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('') || '/';
}

/** Text offset of the character at `index` of a string's value. */
export function stringSource(node: JsonString, index: number): number {
  if (!node.sources) return node.start + 1 + index;
  return node.sources[Math.min(index, node.sources.length - 1)] ?? node.start + 1;
}

/** Parses a whole JSON document; throws InputError with line:col and the pointer of the enclosing value. */
export function parseJson(file: string, text: string): JsonDocument {
  const origin = originMapper(file, text);
  const parser = new Parser(text, origin);
  const root = parser.document();
  return { file, text, root, origin };
}

function originMapper(file: string, text: string): (offset: number) => Origin {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}

/** Nesting deeper than this is refused: no Ignition config comes close, and recursion must stay bounded. */
const MAX_DEPTH = 200;

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  private pos = 0;
  /** Keys and indexes of the values being parsed, for the pointer in messages. */
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly origin: (offset: number) => Origin,
  ) {}

  document(): JsonNode {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.blanks();
    if (this.pos >= this.text.length) this.fail('a JSON value', 'The file holds no JSON; an Ignition config is an object such as {"ignition": {"version": "3.4.0"}}.');
    const root = this.value(0);
    this.blanks();
    if (this.pos < this.text.length) {
      this.fail('the end of the file after the top-level value', 'Remove what follows the closing `}`; a config is one JSON object.');
    }
    return root;
  }

  private value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`at most ${MAX_DEPTH} levels of nesting`, 'This is not an Ignition config.');
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', 'boolean', true);
      case 'f':
        return this.literal('false', 'boolean', false);
      case 'n':
        return this.literal('null', 'null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        if (c === "'") this.fail('a value', 'JSON strings use double quotes ("..."), not single quotes.');
        if (c === undefined) this.fail('a value', 'The file ends early; check for a missing closing `}` or `]`.');
        this.fail('a value (object, array, string, number, true, false or null)', 'Check for a missing `"` around a string or a stray character.');
    }
  }

  private object(depth: number): JsonObject {
    const start = this.pos++;
    const members: JsonMember[] = [];
    this.blanks();
    if (this.text[this.pos] === '}') return { type: 'object', start, end: ++this.pos, members };
    for (;;) {
      this.blanks();
      if (this.text[this.pos] !== '"') {
        const trailing = this.text[this.pos] === '}' && members.length > 0;
        this.fail(
          'a key in double quotes',
          trailing ? 'JSON allows no comma after the last member; remove it.' : 'Object keys are strings in double quotes, e.g. "path".',
        );
      }
      const keyStart = this.pos;
      const key = this.string().value;
      this.blanks();
      if (this.text[this.pos] !== ':') this.fail('`:` after the key', 'Write each member as "key": value.');
      this.pos++;
      this.blanks();
      this.path.push(key);
      const value = this.value(depth + 1);
      this.path.pop();
      members.push({ key, keyStart, value });
      this.blanks();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === '}') return { type: 'object', start, end: ++this.pos, members };
      this.fail('`,` or `}` after an object member', next === undefined ? 'The file ends early; close the object with `}`.' : 'Separate members with commas.');
    }
  }

  private array(depth: number): JsonArray {
    const start = this.pos++;
    const items: JsonNode[] = [];
    this.blanks();
    if (this.text[this.pos] === ']') return { type: 'array', start, end: ++this.pos, items };
    for (;;) {
      this.blanks();
      if (this.text[this.pos] === ']' && items.length > 0) this.fail('a value', 'JSON allows no comma after the last element; remove it.');
      this.path.push(items.length);
      items.push(this.value(depth + 1));
      this.path.pop();
      this.blanks();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') return { type: 'array', start, end: ++this.pos, items };
      this.fail('`,` or `]` after an array element', next === undefined ? 'The file ends early; close the array with `]`.' : 'Separate elements with commas.');
    }
  }

  private string(): JsonString {
    const start = this.pos++;
    let value = '';
    let sources: number[] | undefined;
    for (;;) {
      const at = this.pos;
      const c = this.text[at];
      if (c === undefined) {
        this.pos = start;
        this.fail('a closing `"`', 'The string is never closed; add the missing double quote.');
      }
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c < ' ') {
        this.fail('no control characters inside a string', c === '\n' ? 'A string cannot span lines; write a line break as \\n.' : 'Write control characters as escapes such as \\t.');
      }
      if (c !== '\\') {
        sources?.push(at);
        value += c;
        this.pos++;
        continue;
      }
      sources ??= Array.from({ length: value.length }, (_, i) => start + 1 + i);
      const e = this.text[at + 1];
      if (e === 'u') {
        const hex = this.text.slice(at + 2, at + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
          this.pos = at;
          this.fail('four hex digits after \\u', 'Write a character escape as \\u followed by four hex digits, e.g. \\u00e9.');
        }
        value += String.fromCharCode(parseInt(hex, 16));
        sources.push(at);
        this.pos = at + 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        value += ESCAPES[e];
        sources.push(at);
        this.pos = at + 2;
      } else {
        this.pos = at;
        this.fail('a valid escape (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)', 'Write a backslash as \\\\.');
      }
    }
    return sources
      ? { type: 'string', start, end: this.pos, value, sources: Int32Array.from(sources) }
      : { type: 'string', start, end: this.pos, value };
  }

  private number(): JsonScalar {
    const start = this.pos;
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(start, start + 400));
    if (!m) this.fail('a number', 'JSON numbers are written like 420, -1 or 1.5.');
    const text = m[0];
    const next = this.text[start + text.length];
    if (next !== undefined && /[0-9.eE+\-xXoObB]/.test(next)) {
      this.pos = start + text.length;
      this.fail(
        'the end of the number',
        text === '0' || text === '-0' ? 'JSON numbers have no leading zeros: write modes in decimal (0644 is 420).' : 'Check the number.',
      );
    }
    this.pos = start + text.length;
    return { type: 'number', start, end: this.pos, value: Number(text), text };
  }

  private literal(word: string, type: 'boolean' | 'null', value: boolean | null): JsonScalar {
    const start = this.pos;
    if (this.text.slice(start, start + word.length) !== word || /[A-Za-z0-9_]/.test(this.text[start + word.length] ?? '')) {
      this.fail('a value (object, array, string, number, true, false or null)', 'Put strings in double quotes.');
    }
    this.pos += word.length;
    return { type, start, end: this.pos, value, text: word };
  }

  private blanks(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) {
        this.fail('a JSON value, not a comment', 'JSON has no comments; remove them (Ignition rejects them too).');
      } else return;
    }
  }

  private fail(expected: string, hint: string): never {
    const found = this.describeHere();
    throw new InputError({
      code: 'ignition/json',
      message: `invalid JSON at ${jsonPointer(this.path)}: expected ${expected}, found ${found}`,
      origin: this.origin(this.pos),
      hint,
    });
  }

  private describeHere(): string {
    const c = this.text[this.pos];
    if (c === undefined) return 'the end of the file';
    if (c === '\n' || c === '\r') return 'the end of the line';
    if (c === '"') {
      const string = /^"(?:[^"\\\n]|\\.){0,20}"?/.exec(this.text.slice(this.pos))?.[0] ?? c;
      return `\`${string}\``;
    }
    const word = /^[^\s,:{}[\]"]{1,20}/.exec(this.text.slice(this.pos))?.[0] ?? c;
    return `\`${word}\``;
  }
}

/**
 * Butane YAML values as config nodes. Butane decodes YAML with go-yaml v3
 * into typed Go fields, and that decides how a scalar reads:
 *
 * - integers: a plain scalar parsed by Go's strconv.ParseInt with base 0
 *   after dropping `_`, so `0644` is octal (420) as in YAML 1.1, `0o644` and
 *   `0x1a4` work too, and `644` is decimal; a plain float (`1.5`) is
 *   truncated; a quoted `"0644"` is a string and no integer.
 * - booleans: `true`/`false` (any case go-yaml knows), and, because the field
 *   is a bool, YAML 1.1's `yes`/`no`/`on`/`off`/`y`/`n` too.
 * - strings: any scalar, as written (`name: 0644` is the text `0644`).
 *
 * (go-yaml v3 resolve.go and decode.go; its README: "Octals encode and
 * decode as 0777 per YAML 1.1 ... YAML 1.1 bools are supported as long as
 * they are being decoded into a typed bool value".)
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Scalar } from 'yaml';
import type { Origin, PositionMapper } from '../../model/origin.ts';
import { childLabel, type ConfigEntry, type ConfigNode } from '../ignition/node.ts';
import { deref, describe, mapEntries, originOf, scalarOffsets, scalarPosition, scalarText } from '../yaml.ts';
import type { YamlSource, YamlValue } from '../yaml.ts';

/** `code` prefixes YAML errors (duplicate keys): `butane`, or `clc` for a Container Linux Config (ct also decodes with go-yaml v3). */
export function yamlConfigNode(src: YamlSource, node: YamlValue | null, label: string, origin: Origin, code = 'butane'): ConfigNode {
  return new YamlConfigNode(src, node, label, origin, code);
}

const TRUE = new Set(['true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE = new Set(['false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
/** Only these are booleans when the scalar is quoted (go-yaml resolves a quoted scalar to a string first). */
const PLAIN_ONLY = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const STR_TAG = 'tag:yaml.org,2002:str';

class YamlConfigNode implements ConfigNode {
  readonly shape: ConfigNode['shape'];
  readonly where: string;

  constructor(
    private readonly src: YamlSource,
    private readonly node: YamlValue | null,
    readonly label: string,
    readonly origin: Origin,
    private readonly code: string,
  ) {
    this.shape = node === null ? 'null' : isMap(node) ? 'map' : isSeq(node) ? 'list' : 'scalar';
    this.where = `\`${label === '' ? '(the top level)' : label}\``;
  }

  entries(): readonly ConfigEntry[] {
    if (!isMap(this.node)) return [];
    return mapEntries(this.src, this.node, (k) => k, this.code).map((e) => ({
      spelled: e.spelled,
      origin: e.origin,
      value: new YamlConfigNode(this.src, e.value, childLabel(this.label, e.spelled), e.value === null ? e.origin : originOf(this.src, e.value), this.code),
    }));
  }

  items(): readonly ConfigNode[] {
    if (!isSeq(this.node)) return [];
    return this.node.items.map((raw, i) => {
      const value = deref(this.src, raw);
      const at = value === null ? this.origin : originOf(this.src, value);
      return new YamlConfigNode(this.src, value, `${this.label}[${i}]`, at, this.code);
    });
  }

  private scalar(): Scalar | undefined {
    return isScalar(this.node) && !(this.node.value instanceof Uint8Array) ? this.node : undefined;
  }

  /** A scalar go-yaml resolves by its text (plain, no `!!str` tag). */
  private plain(): string | undefined {
    const s = this.scalar();
    if (!s || s.type !== 'PLAIN' || s.tag === STR_TAG) return undefined;
    return scalarText(s);
  }

  asString(): string | undefined {
    const s = this.scalar();
    return s ? scalarText(s) : undefined;
  }

  asInt(): number | undefined {
    const text = this.plain();
    if (text === undefined) return undefined;
    const int = goParseInt(text.replace(/_/g, ''));
    if (int !== undefined) return int;
    if (YAML_FLOAT.test(text)) {
      const n = Math.trunc(Number(text));
      return Number.isSafeInteger(n) ? n : undefined;
    }
    return undefined;
  }

  asBool(): boolean | undefined {
    const s = this.scalar();
    if (!s) return undefined;
    const text = scalarText(s);
    if (this.plain() === undefined && PLAIN_ONLY.has(text)) return undefined;
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    return undefined;
  }

  describe(): string {
    // Values are not echoed (a wrong-typed field may hold a secret), except numbers and booleans.
    const s = this.scalar();
    if (s && s.type !== 'PLAIN') return s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' ? 'a quoted string' : 'a string';
    return describe(this.node);
  }

  position(): PositionMapper {
    const s = this.scalar();
    const origin = this.origin;
    return s ? scalarPosition(this.src, s).position : () => origin;
  }

  at(offset: number): Origin {
    const s = this.scalar();
    return s ? scalarOffsets(this.src, s)(offset) : this.origin;
  }
}

/** Go's strconv.ParseInt(s, 0, 64): sign, then 0x / 0o / 0b / leading 0 (octal) or decimal. */
function goParseInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  const value =
    /^0[xX]/.test(body) ? parseInt(body.slice(2), 16)
    : /^0[oO]/.test(body) ? parseInt(body.slice(2), 8)
    : /^0[bB]/.test(body) ? parseInt(body.slice(2), 2)
    : body.startsWith('0') ? parseInt(body || '0', 8)
    : parseInt(body, 10);
  const signed = m[1] === '-' ? -value : value;
  return Number.isSafeInteger(signed) ? signed : undefined;
}

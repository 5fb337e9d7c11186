/**
 * One view of a config value for both dialects: Ignition JSON and Butane
 * YAML are read into the same shape, so one builder maps both onto the Host
 * (as Butane itself maps its YAML onto Ignition's types). A dialect decides
 * how a scalar reads as a string, integer or boolean (JSON is strict; Butane
 * follows go-yaml v3), and how values are named in messages.
 */
import type { Origin, PositionMapper } from '../../model/origin.ts';
import { jsonPointer, stringSource, type JsonDocument, type JsonNode, type JsonString } from './json.ts';

export interface ConfigEntry {
  /** The key as written. */
  readonly spelled: string;
  /** Where the key is written. */
  readonly origin: Origin;
  readonly value: ConfigNode;
}

export interface ConfigNode {
  readonly shape: 'map' | 'list' | 'scalar' | 'null';
  readonly origin: Origin;
  /** Dotted path as written, for item labels: `storage.files[0].mode`. */
  readonly label: string;
  /** How messages name the value: a JSON pointer (Ignition) or the dotted path (Butane). */
  readonly where: string;
  entries(): readonly ConfigEntry[];
  items(): readonly ConfigNode[];
  /** The value as a string field reads it, or undefined when it cannot. */
  asString(): string | undefined;
  asInt(): number | undefined;
  asBool(): boolean | undefined;
  /** For messages: what the value is, without echoing it. */
  describe(): string;
  /** For strings: where (line, column) of the value is in the file. */
  position(): PositionMapper;
  /** For strings: where the character at a 0-based offset of the value is written. */
  at(offset: number): Origin;
}

export function childLabel(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** A JSON value as a config node. */
export function jsonConfigNode(doc: JsonDocument, node: JsonNode, path: readonly (string | number)[] = []): ConfigNode {
  return new JsonConfigNode(doc, node, path);
}

class JsonConfigNode implements ConfigNode {
  readonly shape: ConfigNode['shape'];
  readonly origin: Origin;
  readonly label: string;
  readonly where: string;

  constructor(
    private readonly doc: JsonDocument,
    private readonly node: JsonNode,
    private readonly path: readonly (string | number)[],
  ) {
    this.shape = node.type === 'object' ? 'map' : node.type === 'array' ? 'list' : node.type === 'null' ? 'null' : 'scalar';
    this.origin = doc.origin(node.start);
    this.label = path.reduce<string>((l, p) => (typeof p === 'number' ? `${l}[${p}]` : childLabel(l, p)), '');
    this.where = `\`${jsonPointer(path)}\``;
  }

  entries(): readonly ConfigEntry[] {
    if (this.node.type !== 'object') return [];
    return this.node.members.map((m) => ({
      spelled: m.key,
      origin: this.doc.origin(m.keyStart),
      value: new JsonConfigNode(this.doc, m.value, [...this.path, m.key]),
    }));
  }

  items(): readonly ConfigNode[] {
    if (this.node.type !== 'array') return [];
    return this.node.items.map((n, i) => new JsonConfigNode(this.doc, n, [...this.path, i]));
  }

  asString(): string | undefined {
    return this.node.type === 'string' ? this.node.value : undefined;
  }

  /** Go's encoding/json puts only integers written without fraction or exponent into an int. */
  asInt(): number | undefined {
    if (this.node.type !== 'number' || !/^-?\d+$/.test(this.node.text)) return undefined;
    const n = Number(this.node.text);
    return Number.isSafeInteger(n) ? n : undefined;
  }

  asBool(): boolean | undefined {
    return this.node.type === 'boolean' ? (this.node.value as boolean) : undefined;
  }

  describe(): string {
    switch (this.node.type) {
      case 'object':
        return 'an object';
      case 'array':
        return 'an array';
      case 'string':
        return 'a string';
      case 'number':
        return `the number ${this.node.text}`;
      case 'boolean':
        return `the boolean ${this.node.text}`;
      case 'null':
        return 'null';
    }
  }

  position(): PositionMapper {
    const node = this.node;
    if (node.type !== 'string') return () => this.origin;
    const lineStarts = [0];
    for (let i = 0; i < node.value.length; i++) if (node.value.charCodeAt(i) === 10) lineStarts.push(i + 1);
    return (line, column) => this.doc.origin(stringSource(node, (lineStarts[Math.min(line, lineStarts.length) - 1] ?? 0) + column - 1));
  }

  at(offset: number): Origin {
    return this.node.type === 'string' ? this.doc.origin(stringSource(this.node as JsonString, offset)) : this.origin;
  }
}

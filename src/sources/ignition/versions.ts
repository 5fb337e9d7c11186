/**
 * The Ignition spec versions nixport reads, and the Butane variants and
 * versions that transpile to them (coreos/butane docs/specs.md: "Butane
 * specifications and Ignition specifications").
 */

/** A spec version as a number: 2.3.0 is 23, 3.4.0 is 34. */
export type SpecVersion = number;

/** Stable Ignition spec versions (spec2x branch doc/configuration-v2_*.md; docs/configuration-v3_*.md). */
export const IGNITION_VERSIONS: readonly string[] = [
  '2.0.0',
  '2.1.0',
  '2.2.0',
  '2.3.0',
  '2.4.0',
  '3.0.0',
  '3.1.0',
  '3.2.0',
  '3.3.0',
  '3.4.0',
  '3.5.0',
  '3.6.0',
];

export function ignitionVersion(written: string): SpecVersion | undefined {
  if (!IGNITION_VERSIONS.includes(written)) return undefined;
  const [major, minor] = written.split('.');
  return Number(major) * 10 + Number(minor);
}

export function versionName(v: SpecVersion): string {
  return `${Math.floor(v / 10)}.${v % 10}.0`;
}

export type ButaneVariant = 'fcos' | 'flatcar';

export interface ButaneSpec {
  readonly variant: ButaneVariant;
  readonly version: string;
  /** The Ignition spec it transpiles to. */
  readonly ignition: SpecVersion;
  /** Minor version of the Butane spec (1.<minor>.0), for keys added in a variant's later versions. */
  readonly minor: number;
}

export const BUTANE_SPECS: readonly ButaneSpec[] = [
  { variant: 'fcos', version: '1.0.0', ignition: 30, minor: 0 },
  { variant: 'fcos', version: '1.1.0', ignition: 31, minor: 1 },
  { variant: 'fcos', version: '1.2.0', ignition: 32, minor: 2 },
  { variant: 'fcos', version: '1.3.0', ignition: 32, minor: 3 },
  { variant: 'fcos', version: '1.4.0', ignition: 33, minor: 4 },
  { variant: 'fcos', version: '1.5.0', ignition: 34, minor: 5 },
  { variant: 'fcos', version: '1.6.0', ignition: 35, minor: 6 },
  { variant: 'fcos', version: '1.7.0', ignition: 36, minor: 7 },
  { variant: 'flatcar', version: '1.0.0', ignition: 33, minor: 0 },
  { variant: 'flatcar', version: '1.1.0', ignition: 34, minor: 1 },
];

export function butaneSpec(variant: string, version: string): ButaneSpec | undefined {
  return BUTANE_SPECS.find((s) => s.variant === variant && s.version === version);
}

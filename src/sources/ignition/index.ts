export { readIgnition } from './read.ts';
export { SPEC_KEYS, spelledKey, keyApplies, describeVersions } from './spec.ts';
export type { SpecKey, SpecType, KeySupport, Dialect } from './spec.ts';
export { IGNITION_VERSIONS, BUTANE_SPECS } from './versions.ts';
export { decodeDataUrl } from './data-url.ts';
export type { LocalFile, LocalFiles } from './build/context.ts';

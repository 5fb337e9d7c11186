/**
 * Docker CLI command lines: recognising `docker run` and friends in an
 * already-split command line, with the flag tables that drive it.
 */
export { DOCKER_PROGRAMS, isDockerProgram, recognizeDocker } from './recognize.ts';
export type { FlagIndex, FlagSpec, FlagStatus, FlagType } from './flag-spec.ts';
export { indexFlags, statusOf, takesValue } from './flag-spec.ts';
export type { RunFlagGroup, RunFlagSpec } from './run-flags.ts';
export { CREATE_FLAGS, RUN_FLAGS, runFlag } from './run-flags.ts';
export { GLOBAL_FLAGS } from './global-flags.ts';
export type { VerbSpec } from './verbs.ts';
export { VERBS, normaliseVerb, verbSpec } from './verbs.ts';
export { flagsNamed, globalFlags, isEnabled, lastValue, runsInForeground } from './query.ts';
export type { ImageReference } from './image-ref.ts';
export { DEFAULT_DOMAIN, parseImageReference } from './image-ref.ts';
export type { PortParse } from './ports.ts';
export { parsePortSpec } from './ports.ts';
export type { VolumeParse } from './volumes.ts';
export { isHostPathSource, parseMountFlag, parseTmpfsFlag, parseVolumeFlag } from './volumes.ts';
export { isRestartPolicy } from './derive.ts';
export type { OciFlag, OciFlagMapping, OciOption } from './oci-flags.ts';
export { OCI_FLAGS, ociFlag, ociMapping } from './oci-flags.ts';
export { networkCreate } from './network.ts';
export { isSecretName, redactSecrets } from './secrets.ts';

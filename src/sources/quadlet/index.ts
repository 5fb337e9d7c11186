/** podman Quadlet files: `.container` files read as the `podman run` podman's generator writes, `.network`/`.volume` as the resources they create. */
export { CONTAINER_KEYS, keyOutcome, type KeyRule } from './container-keys.ts';
export { isQuadletInput, quadletKind, quadletScope, quadletStem, QUADLET_KINDS, type QuadletKind } from './detect.ts';
export { readQuadlets, type QuadletRead, type QuadletText } from './read.ts';
export { NETWORK_KEYS, VOLUME_KEYS } from './resource-keys.ts';
export { quadletHostFiles } from './host-files.ts';
export { QUADLET_HINTS } from './hints.ts';

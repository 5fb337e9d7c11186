/** `docker inspect` JSON: each container record read as the `docker run` that makes the same container. */
export { isDockerInspect } from './detect.ts';
export { readDockerInspect } from './read.ts';

export { readContainerLinuxConfig } from './read.ts';
export { isContainerLinuxConfig } from './detect.ts';
export { CLC_KEYS } from './spec.ts';

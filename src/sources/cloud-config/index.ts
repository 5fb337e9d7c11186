export { readCloudConfig, CLOUD_CONFIG_HEADER } from './read.ts';
export { CLOUD_CONFIG_KEYS, normalizeKey } from './keys.ts';
export type { CloudConfigKey, KeyContext, KeySupport } from './keys.ts';
export { UNIT_COMMANDS } from './units.ts';
export { CONTENT_ENCODINGS } from './files.ts';
export { REBOOT_STRATEGIES } from './update.ts';

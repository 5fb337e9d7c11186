export { readButane } from './read.ts';

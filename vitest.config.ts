import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Nix evaluation happens in batches inside a few tests; give them room.
    testTimeout: 60_000,
  },
});

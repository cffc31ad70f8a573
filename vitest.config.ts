import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'renderer/**/*.test.ts', 'electron/**/*.test.ts', 'server/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Vitest's default is one worker less than the cores: one, on a two-core CI machine. The server
    // suites wait on PostgreSQL and on sockets most of the time; three workers took the run from
    // 590 s to 423 s there.
    maxWorkers: 3,
    hookTimeout: 60_000,
  },
});

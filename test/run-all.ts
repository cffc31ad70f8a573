import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm test`: the type-check, the lint, the unit and server tests (vitest, on PGlite and the real
 * PostgreSQL), the kiosk build and the end-to-end tests (Playwright in Chromium), in that order.
 * Every stage runs even when an earlier one failed, so one run shows everything; the last line
 * counts the tests: `N passed, N failed`.
 */
const root = fileURLToPath(new URL('../', import.meta.url));
const out = `${root}test-results`;
mkdirSync(out, { recursive: true });

type Stage = { name: string; cmd: string[]; env?: Record<string, string>; count?: () => { passed: number; failed: number } };

const vitestJson = `${out}/vitest.json`;
const playwrightJson = `${out}/playwright.json`;
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

const stages: Stage[] = [
  { name: 'type-check core/ (no DOM, no Node)', cmd: [bin('tsc'), '-p', 'core'] },
  { name: 'type-check', cmd: [bin('tsc'), '-p', '.'] },
  { name: 'lint', cmd: [bin('eslint'), '--max-warnings', '0', '.'] },
  {
    name: 'unit and server tests',
    cmd: [bin('vitest'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
    count: () => {
      const r = JSON.parse(readFileSync(vitestJson, 'utf8')) as { numPassedTests: number; numFailedTests: number };
      return { passed: r.numPassedTests, failed: r.numFailedTests };
    },
  },
  { name: 'build the kiosk', cmd: [bin('vite'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'] },
  {
    name: 'end-to-end tests',
    cmd: [bin('playwright'), 'test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
    count: () => {
      const r = JSON.parse(readFileSync(playwrightJson, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number } };
      return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected };
    },
  },
];

let passed = 0;
let failed = 0;
const failedStages: string[] = [];
for (const stage of stages) {
  process.stdout.write(`\n=== ${stage.name} ===\n`);
  for (const f of [vitestJson, playwrightJson]) if (existsSync(f)) rmSync(f);
  const started = Date.now();
  const r = spawnSync(stage.cmd[0]!, stage.cmd.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...stage.env } });
  const ok = r.status === 0;
  if (stage.count) {
    try {
      const c = stage.count();
      passed += c.passed;
      failed += c.failed;
    } catch {
      failed += 1; // The runner died before it could report.
    }
  }
  if (!ok) failedStages.push(stage.name);
  process.stdout.write(`--- ${stage.name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

if (failedStages.length > 0) process.stdout.write(`\nFailed stages: ${failedStages.join(', ')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failedStages.length > 0 || failed > 0 || passed === 0 ? 1 : 0);

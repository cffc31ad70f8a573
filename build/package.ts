import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Arch, build as buildInstallers, Platform } from 'electron-builder';
import { build as buildRenderer } from 'vite';
import { builderConfig, STAGED_APP } from './electron-builder.js';
import { stageKiosk } from './kiosk.js';

/**
 * `npm run package -- --win | --linux [--dir]`: the kiosk's installers (build/electron-builder.ts).
 * Builds the renderer, stages the kiosk app (build/kiosk.ts) and runs electron-builder, which
 * downloads the Electron binary for the target (and, for Windows from Linux, NSIS and Wine's
 * helpers): run it on a machine that can (README). `--dir` packs the app without an installer;
 * `--electron-dist DIR` takes an unpacked Electron from DIR instead of downloading one.
 */
const root = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: { win: { type: 'boolean' }, linux: { type: 'boolean' }, dir: { type: 'boolean' }, 'electron-dist': { type: 'string' } } });
if (!values.win && !values.linux) throw new Error('usage: npm run package -- --win | --linux [--dir] [--electron-dist DIR]');

process.stderr.write('构建柜台界面 / building the kiosk…\n');
await buildRenderer({ configFile: `${root}renderer/vite.config.ts`, logLevel: 'warn' });
await stageKiosk(`${root}${STAGED_APP}`);
const targets = values.win
  ? Platform.WINDOWS.createTarget(values.dir ? 'dir' : 'nsis', Arch.x64)
  : Platform.LINUX.createTarget(values.dir ? ['dir'] : ['AppImage', 'deb'], Arch.x64);
const artifacts = await buildInstallers({
  projectDir: root, targets, publish: 'never',
  config: { ...builderConfig, ...(values['electron-dist'] ? { electronDist: values['electron-dist'] } : {}) },
});
process.stderr.write(`安装包 / installers:\n${artifacts.map((a) => `  ${a}`).join('\n')}\n`);

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'electron-builder';
import { Arch, build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builderConfig } from '../../build/electron-builder.js';
import { stageKiosk } from '../../build/kiosk.js';

/**
 * The installers' configuration, validated by electron-builder's own schema, and a real packaging
 * run (the `dir` target) of the staged kiosk: the Electron binary cannot be downloaded here, so an
 * unpacked "Electron" is made of a file carrying the fuse wire, and electron-builder packs the app,
 * writes app.asar and flips the fuses as it would in a real one. What the asar holds and the fuses
 * it set are then read back.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE = { ENABLE: 0x31, DISABLE: 0x30 };
/** Server-side packages that must never reach the kiosk's installer. */
const SERVER_ONLY = ['@electric-sql/pglite', 'pg', 'fastify', '@fastify/static', 'pino'];

const silent = { isEnabled: false, data: new Map(), add: () => undefined, save: () => Promise.resolve() };

describe('the electron-builder configuration', () => {
  it("passes electron-builder's own validation, which refuses a misspelt option", async () => {
    await expect(validateConfiguration(builderConfig as Configuration, silent)).resolves.toBeUndefined();
    const misspelt = { ...builderConfig, nsis: { ...builderConfig.nsis, oneclick: true } } as unknown as Configuration;
    await expect(validateConfiguration(misspelt, silent)).rejects.toThrow(/configuration\.nsis/);
  });

  it('makes a per-user Chinese NSIS installer for Windows, and an AppImage and a .deb for Linux, with the icons they need', () => {
    expect(builderConfig.nsis).toMatchObject({ oneClick: true, perMachine: false, allowElevation: false, installerLanguages: ['zh_CN'], language: '2052', shortcutName: '邻里' });
    expect(builderConfig.productName).toBe('邻里');
    expect(builderConfig.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(builderConfig.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(builderConfig.linux.desktop.entry.Name).toBe('邻里');
    // Windows wants a 256-pixel image in its .ico; Linux a 512-pixel PNG among its icons.
    const ico = readFileSync(`${root}build/resources/icon.ico`);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toContain(256);
    const png = readFileSync(`${root}build/resources/icons/512x512.png`);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    expect(readFileSync(`${root}build/resources/installer.nsh`, 'utf8')).toContain('--restore-backup');
  });

  it('updates from the centre’s own server (generic provider)', () => {
    expect(builderConfig.publish).toEqual([{ provider: 'generic', url: expect.stringMatching(/\/updates\/$/) as unknown }]);
  });
});

describe('packing the kiosk', () => {
  let work: string;
  let metafile: Awaited<ReturnType<typeof stageKiosk>>;
  let unpacked: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'linli-pack-'));
    // A stand-in for the built renderer (the real one is built later in `npm test`).
    mkdirSync(`${work}/renderer/assets`, { recursive: true });
    writeFileSync(`${work}/renderer/index.html`, '<!doctype html><title>邻里</title>');
    writeFileSync(`${work}/renderer/assets/main.js`, 'void 0');
    metafile = await stageKiosk(`${work}/app`, `${work}/renderer`);
    // An unpacked "Electron": the binary is a file with the fuse wire, as Electron's binaries carry it (all fuses at their defaults).
    mkdirSync(`${work}/electron/resources`, { recursive: true });
    writeFileSync(`${work}/electron/electron`, Buffer.concat([Buffer.from('stand-in for the Electron binary '), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10101110')]), { mode: 0o755 });
    writeFileSync(`${work}/electron/LICENSE`, 'MIT');
    await build({
      projectDir: root, publish: 'never', targets: Platform.LINUX.createTarget(['dir'], Arch.x64),
      config: { ...builderConfig, electronDist: `${work}/electron`, directories: { ...builderConfig.directories, app: `${work}/app`, output: `${work}/out` } },
    });
    unpacked = `${work}/out/linux-unpacked`;
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('carries the kiosk only: its bundles, its page, its package.json, and no node_modules at all', () => {
    const files = listPackage(`${unpacked}/resources/app.asar`, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    expect(files.filter((f) => !f.startsWith('/renderer/'))).toEqual(['/main.cjs', '/package.json', '/preload.cjs', '/renderer']);
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    const pkg = JSON.parse(readFileSync(`${work}/app/package.json`, 'utf8')) as { main: string; dependencies: object };
    expect(pkg).toMatchObject({ main: 'main.cjs', dependencies: {} });
  });

  it('bundles none of the server into main: PGlite, pg, Fastify and pino stay out', () => {
    const inputs = Object.keys(metafile.inputs);
    for (const name of SERVER_ONLY) expect(inputs.filter((i) => i.includes(`node_modules/${name}/`)), name).toEqual([]);
    expect(inputs.some((i) => i.includes('node_modules/electron-updater/'))).toBe(true);
    expect(inputs.some((i) => i.startsWith('server/'))).toBe(false);
  });

  it('flips the fuses at packaging: no RunAsNode, NODE_OPTIONS or inspect; cookies encrypted; ASAR integrity, and the app only from the ASAR', async () => {
    const wire = await getCurrentFuseWire(`${unpacked}/linli`);
    const fuse = (f: FuseV1Options) => (wire as unknown as Record<number, number>)[f];
    expect(fuse(FuseV1Options.RunAsNode)).toBe(FUSE.DISABLE);
    expect(fuse(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FUSE.DISABLE);
    expect(fuse(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FUSE.DISABLE);
    expect(fuse(FuseV1Options.EnableCookieEncryption)).toBe(FUSE.ENABLE);
    expect(fuse(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FUSE.ENABLE);
    expect(fuse(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FUSE.ENABLE);
    expect(fuse(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FUSE.DISABLE);
  });

  it('writes the updater’s generic provider beside the app', () => {
    expect(readFileSync(`${unpacked}/resources/app-update.yml`, 'utf8')).toMatch(/provider: generic/);
  });
});

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

/**
 * The kiosk app as Electron runs it and electron-builder packs it: `main.cjs` and `preload.cjs`
 * (esbuild bundles of electron/, with electron-updater and every other module inside), the built
 * renderer in `renderer/`, and a `package.json` of its own with no dependencies. That is the whole
 * app: the kiosk installer carries no node_modules, so none of the server's (PGlite, pg, Fastify)
 * can get in. `npm start` runs the same layout from electron/dist.
 */
const root = fileURLToPath(new URL('../', import.meta.url));

/** The kiosk's own package.json: its name, version and entry, and nothing to install. */
export function kioskPackageJson(): Record<string, unknown> {
  const project = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string; description: string };
  return {
    name: 'linli-kiosk',
    productName: '邻里',
    version: project.version,
    description: project.description,
    author: { name: 'Linli 邻里', email: 'linli@invalid.example' },
    homepage: 'https://linli.invalid.example/',
    main: 'main.cjs',
    dependencies: {},
  };
}

/**
 * Builds the kiosk app into `outDir` from the built renderer in `rendererDir` (`npm run build`
 * makes it); answers esbuild's account of what went into main and preload.
 */
export async function stageKiosk(outDir: string, rendererDir = `${root}renderer/dist`): Promise<Metafile> {
  if (!existsSync(`${rendererDir}/index.html`)) throw new Error('build the renderer first (npm run build)');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { main: `${root}electron/main.ts`, preload: `${root}electron/preload.ts` },
    outdir: outDir, outExtension: { '.js': '.cjs' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node22', external: ['electron'],
    metafile: true, logLevel: 'warning', legalComments: 'none',
  });
  cpSync(rendererDir, `${outDir}/renderer`, { recursive: true });
  writeFileSync(`${outDir}/package.json`, `${JSON.stringify(kioskPackageJson(), null, 2)}\n`);
  return result.metafile;
}

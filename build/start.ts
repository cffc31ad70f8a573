import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build as buildKiosk } from 'vite';
import { stageKiosk } from './kiosk.js';
import { ServerProcess } from './serverProcess.js';

/**
 * `npm start`: builds the kiosk, starts the server on its embedded defaults (PGlite in
 * .data/db, the demo centre seeded on first start) and opens the kiosk: in Electron when its
 * binary is installed, else served to a browser at the printed address.
 */
const root = fileURLToPath(new URL('../', import.meta.url));
const say = (text: string) => process.stderr.write(`${text}\n`);

say('构建柜台界面 / building the kiosk…');
await buildKiosk({ configFile: `${root}renderer/vite.config.ts`, logLevel: 'warn' });

say('启动服务 / starting the server (first start seeds the demo centre, about half a minute)…');
const server = new ServerProcess({ LINLI_DEMO: process.env.LINLI_DEMO ?? 'full', LINLI_LOG: process.env.LINLI_LOG ?? 'warn' }, true);
server.port = Number(process.env.LINLI_PORT ?? 8080);
await server.start();

/** The Electron binary's path; the package throws when its binary was never downloaded. */
function findElectron(): string | null {
  try {
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return null;
  }
}
const electronPath = findElectron();

let kiosk: ChildProcess | null = null;
if (electronPath) {
  // The same app the installers carry (build/kiosk.ts), run unpackaged: a window, not kiosk mode.
  await stageKiosk(`${root}electron/dist`);
  say('打开柜台窗口 / opening the kiosk window (Electron)…');
  kiosk = spawn(electronPath, [`${root}electron/dist`], {
    stdio: 'inherit',
    env: { ...process.env, LINLI_SERVER_URL: server.url, LINLI_PAIRING_CODE: server.pairingCode ?? '' },
  });
  kiosk.on('exit', () => void shutdown());
} else {
  const address = `${server.url}/${server.pairingCode ? `#pair=${server.pairingCode}` : ''}`;
  say('\n未安装 Electron，请在浏览器中打开柜台界面 / Electron is not installed; open the kiosk in a browser:');
  process.stdout.write(`${address}\n`);
  say('按 Ctrl+C 停止 / press Ctrl+C to stop.');
}

async function shutdown(): Promise<void> {
  kiosk?.kill();
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

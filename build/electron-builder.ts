import type { Configuration } from 'electron-builder';

/**
 * The installers (electron-builder): Windows NSIS per user (no administrator needed, Chinese
 * installer and names, icons) and Linux AppImage and .deb, of the staged kiosk app (build/kiosk.ts:
 * bundles and the built renderer, no node_modules). Fuses are set at packaging. Updates come from
 * the centre's own server (generic provider; main sets the server's URL at run time, the one below
 * only makes electron-builder write latest.yml).
 *
 * `npm run package -- --win` or `-- --linux` (build/package.ts); README has the exact steps for a
 * machine that can download the Electron binary.
 */
export const STAGED_APP = 'build/dist/app';

export const builderConfig = {
  appId: 'cn.linli.kiosk',
  productName: '邻里',
  copyright: 'Linli 邻里',
  directories: { app: STAGED_APP, output: 'build/dist/installers', buildResources: 'build/resources' },
  // Only the staged app. electron-builder, finding no node_modules beside it, falls back to the
  // project's own and would pack every server dependency (PGlite, pg, Fastify: 90 MB); the last
  // pattern keeps every node_modules out (test/electron/builder.test.ts looks inside app.asar).
  files: ['main.cjs', 'preload.cjs', 'renderer/**/*', 'package.json', '!**/node_modules/**/*'],
  asar: true,
  // The staged app has no dependencies: nothing to rebuild, nothing native.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
    loadBrowserProcessSpecificV8Snapshot: false,
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'build/resources/icon.ico',
    executableName: 'linli',
    artifactName: 'Linli-Setup-${version}.${ext}',
  },
  nsis: {
    oneClick: true,
    perMachine: false,
    allowElevation: false,
    unicode: true,
    installerLanguages: ['zh_CN'],
    language: '2052',
    multiLanguageInstaller: false,
    shortcutName: '邻里',
    uninstallDisplayName: '邻里 Linli',
    installerIcon: 'build/resources/icon.ico',
    uninstallerIcon: 'build/resources/icon.ico',
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    runAfterFinish: true,
    // The kiosk's data (its database, secrets, backups) outlives an uninstall: it holds unsynced events.
    deleteAppDataOnUninstall: false,
    // The start menu's 「邻里 · 恢复备份」 (restore a backup).
    include: 'build/resources/installer.nsh',
  },
  linux: {
    target: [{ target: 'AppImage', arch: ['x64'] }, { target: 'deb', arch: ['x64'] }],
    icon: 'build/resources/icons',
    executableName: 'linli',
    artifactName: 'Linli-${version}-${arch}.${ext}',
    category: 'Office',
    synopsis: '社区党群服务中心柜台 / Community service centre kiosk',
    description: '邻里：社区党群服务中心的离线优先柜台与自助终端。Linli: an offline-first kiosk for community service centres.',
    maintainer: 'Linli 邻里 <linli@invalid.example>',
    desktop: {
      entry: { Name: '邻里', 'Name[zh_CN]': '邻里', 'Name[en]': 'Linli', Comment: '社区服务中心柜台 / Community centre kiosk', Actions: 'restore;' },
      desktopActions: { restore: { Name: '恢复备份 / Restore a backup', Exec: '/opt/邻里/linli --restore-backup' } },
    },
  },
  deb: {
    packageName: 'linli',
    // safeStorage needs a keyring, or the kiosk refuses to keep its secrets (electron/secrets.ts).
    recommends: ['gnome-keyring'],
  },
  publish: [{ provider: 'generic', url: 'https://linli-server.invalid/updates/' }],
} satisfies Configuration;

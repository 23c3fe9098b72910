/**
 * Electron main process. Thin by design: windows, menus, the two protocols, and
 * the broker that starts and restarts the library and engine utility
 * processes. No native modules are loaded here.
 * Run: `npm start` (falls back to browser mode where Electron is unavailable).
 */
import { app, BrowserWindow, Menu, dialog, session, shell } from 'electron';
import path from 'node:path';
import { Broker } from '../broker/broker.js';
import { ensureDataDir } from '../node/data-dir.js';
import { distDir, rendererDir } from '../node/app-paths.js';
import { APP_VERSION } from '../node/app-version.js';
import { registerSchemes, handleProtocols, APP_ORIGIN } from './protocols.js';
import { wireIpc } from './ipc.js';
import { utilitySpawner } from './utility-worker.js';
import { queueSetting } from '../queue/queue-setting.js';
import { queueRestore } from '../queue/remote-restore.js';

app.setName('Restora');
if (process.env.RESTORA_HOME) app.setPath('userData', path.resolve(process.env.RESTORA_HOME));
if (app.isPackaged && !process.env.RESTORA_MODELS_DIR) process.env.RESTORA_MODELS_DIR = path.join(process.resourcesPath, 'models');
registerSchemes();

let broker: Broker | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    backgroundColor: '#17181b',
    title: 'Restora',
    webPreferences: {
      preload: path.join(distDir(), 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

function buildMenu(b: Broker): void {
  const template: Electron.MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        {
          label: 'Import Folder…',
          accelerator: 'CmdOrCtrl+I',
          click: async () => {
            const r = await dialog.showOpenDialog({ properties: ['openDirectory', 'openFile', 'multiSelections'] });
            if (!r.canceled && r.filePaths.length) await b.call('library.import', { paths: r.filePaths }, 'trusted');
          },
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

app.whenReady().then(async () => {
  const dataDir = app.getPath('userData');
  const paths = ensureDataDir(dataDir);
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  // With a queue set (`restora queue use URL`), library restores run on the queue's workers.
  const queue = queueSetting(dataDir);
  const remote = queue ? { remoteRestore: queueRestore(queue, () => broker!, APP_VERSION, (line) => console.log(`queue: ${line}`)) } : {};
  broker = new Broker({ spawn: utilitySpawner(paths.logs), dataDir, mode: 'electron', version: APP_VERSION, electronVersion: process.versions.electron ?? null, ...remote });
  handleProtocols(broker, rendererDir());
  wireIpc(broker);
  buildMenu(broker);
  createWindow();
  broker.start().catch((err) => dialog.showErrorBox('Restora could not start its services', String(err?.message ?? err)));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quitting waits for the workers to stop cleanly (at most a few seconds), so the catalog is
// checkpointed and catalog.sqlite alone is the whole library.
let workersStopped = false;
app.on('before-quit', (e) => {
  if (workersStopped || !broker) return;
  e.preventDefault();
  void broker.stop().finally(() => {
    workersStopped = true;
    app.quit();
  });
});

'use strict';
// The main process: starts Hearsay while Electron starts, opens Hearsay's own page (status, first-run download, try
// it) in a window, follows Hearsay across restarts, and stops it before the app quits.
const path = require('node:path');
const { app, BrowserWindow, dialog, ipcMain, shell } = require('electron');
const { startHearsay, hearsayRid, hearsayExecutableName } = require('@hearsay/electron-kit');

/**
 * Packaged, the kit finds the binary that electron-builder put in the app's resources. Run from a checkout
 * (`npm start`), it is eng/publish.sh's output for this machine, or HEARSAY_BINARY when set.
 */
function hearsayOptions() {
  const options = { log: (line) => console.error(`[hearsay] ${line}`) };
  if (process.env.HEARSAY_BINARY) {
    options.binaryPath = process.env.HEARSAY_BINARY;
  } else if (!app.isPackaged) {
    options.binaryPath = path.join(__dirname, '..', '..', 'artifacts', 'publish', hearsayRid(), hearsayExecutableName());
  }
  return options;
}

// Started before the app is ready: the two start up side by side. A failure is handled once the app is ready; the
// empty catch only keeps it from counting as an unhandled rejection until then.
const starting = startHearsay(hearsayOptions());
starting.catch(() => {});
let hearsay = null;
let window = null;
let lastStatus = null;
let stopped = false;

// preload.js asks for these synchronously, before the page's scripts run; null when Hearsay did not start.
ipcMain.on('hearsay:connection', (event) => {
  event.returnValue = hearsay && hearsay.state !== 'failed' ? { baseUrl: hearsay.url, token: hearsay.token } : null;
});
// A page that subscribes after the last change still gets the current status.
ipcMain.handle('hearsay:status', () => lastStatus);

function openWindow(url) {
  const win = new BrowserWindow({
    width: 960,
    height: 720,
    webPreferences: { preload: path.join(__dirname, 'preload.js'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  // The page and its bridge hold the token: the window stays on Hearsay's page, and other links open in the browser.
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    openExternal(target);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, target) => {
    if (!hearsay || new URL(target).origin !== new URL(hearsay.url).origin) {
      event.preventDefault();
      openExternal(target);
    }
  });
  win.on('closed', () => {
    if (window === win) {
      window = null;
    }
  });
  win.loadURL(url);
  return win;
}

function openExternal(url) {
  if (/^https?:/i.test(url)) {
    shell.openExternal(url);
  }
}

function showWithoutVoice(message) {
  const html = `<!doctype html><meta charset="utf-8"><title>Voice unavailable</title>
<h1>Voice features are unavailable</h1><p>The app works without them.</p><pre>${escapeHtml(message)}</pre>`;
  window ??= new BrowserWindow({ width: 720, height: 480 });
  window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

app.whenReady().then(async () => {
  try {
    hearsay = await starting;
  } catch (error) {
    // HearsayStartError: its message says why and what to do.
    console.error(error);
    showWithoutVoice(error.message);
    return;
  }
  // Status events drive the page's progress display, through preload.js's onStatus.
  hearsay.on('status', (status) => {
    lastStatus = status;
    window?.webContents.send('hearsay:status', status);
  });
  // A restarted Hearsay listens on a new port with a new token: load its page again.
  hearsay.on('restarted', ({ pageUrl }) => window?.loadURL(pageUrl));
  // Listening for 'error' keeps a Hearsay that gave up restarting from being an uncaught error in the main process.
  hearsay.on('error', (error) => {
    console.error(error);
    dialog.showErrorBox('Voice features stopped', error.message);
  });
  window = openWindow(hearsay.pageUrl);
});

app.on('activate', () => {
  if (!window && hearsay) {
    window = openWindow(hearsay.pageUrl);
  }
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') {
    app.quit();
  }
});

// Quitting waits for Hearsay to stop. (Were the app killed instead, Hearsay stops by itself: it watches this
// process's id and its standard input.)
app.on('before-quit', (event) => {
  if (stopped) {
    return;
  }
  event.preventDefault();
  starting
    .then((started) => started.stop(), () => undefined)
    .finally(() => {
      stopped = true;
      app.quit();
    });
});

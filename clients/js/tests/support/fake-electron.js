'use strict';
// Just enough of Electron's main-process and preload APIs, in one process, for examples/electron's main.js and
// preload.js to run under Node: ipcRenderer.sendSync reaches ipcMain's listeners, and webContents.send reaches
// ipcRenderer's. Every call is recorded for the tests to look at.
const { EventEmitter } = require('node:events');

function createFakeElectron() {
  const windows = [];
  const mainListeners = new Map();
  const mainHandlers = new Map();
  const renderer = new EventEmitter();
  const exposed = {};
  const openedExternally = [];
  const errorBoxes = [];

  class FakeApp extends EventEmitter {
    isPackaged = false;
    quitCalls = 0;
    quitted = false;

    whenReady() {
      return Promise.resolve();
    }

    /** As Electron's: 'before-quit' first, and the quit goes ahead only if no listener prevented it. */
    quit() {
      this.quitCalls++;
      let prevented = false;
      this.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) {
        this.quitted = true;
        this.emit('will-quit');
      }
    }
  }

  class FakeWebContents extends EventEmitter {
    sent = [];
    windowOpenHandler = null;

    send(channel, ...args) {
      this.sent.push([channel, ...args]);
      renderer.emit(channel, { sender: this }, ...args);
    }

    setWindowOpenHandler(handler) {
      this.windowOpenHandler = handler;
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    static getAllWindows() {
      return windows.filter((win) => !win.destroyed);
    }

    loaded = [];
    destroyed = false;

    constructor(options) {
      super();
      this.options = options;
      this.webContents = new FakeWebContents();
      windows.push(this);
    }

    loadURL(url) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }

  const app = new FakeApp();
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      on(channel, listener) {
        mainListeners.set(channel, listener);
      },
      handle(channel, handler) {
        mainHandlers.set(channel, handler);
      },
    },
    ipcRenderer: {
      sendSync(channel, ...args) {
        const listener = mainListeners.get(channel);
        if (!listener) {
          throw new Error(`no ipcMain listener for ${channel}`);
        }
        const event = { returnValue: undefined };
        listener(event, ...args);
        return event.returnValue;
      },
      async invoke(channel, ...args) {
        const handler = mainHandlers.get(channel);
        if (!handler) {
          throw new Error(`no ipcMain handler for ${channel}`);
        }
        return handler({}, ...args);
      },
      on: (channel, listener) => renderer.on(channel, listener),
      removeListener: (channel, listener) => renderer.removeListener(channel, listener),
    },
    contextBridge: {
      exposeInMainWorld(key, api) {
        exposed[key] = api;
      },
    },
    shell: {
      openExternal(url) {
        openedExternally.push(url);
        return Promise.resolve();
      },
    },
    dialog: {
      showErrorBox(title, content) {
        errorBoxes.push({ title, content });
      },
    },
  };
  return { electron, windows, exposed, renderer, openedExternally, errorBoxes };
}

/**
 * Requires `file` with `require(name)` answered from `modules` for the names it lists (CommonJS only): how a module
 * written for Electron is loaded under Node. The cache entry is dropped, so each call runs the file afresh.
 */
function requireWith(file, modules) {
  const Module = require('node:module');
  const original = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (Object.prototype.hasOwnProperty.call(modules, request)) {
      return modules[request];
    }
    return original.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[require.resolve(file)];
    return require(file);
  } finally {
    Module._load = original;
  }
}

module.exports = { createFakeElectron, requireWith };

'use strict';
// Runs in the window before Hearsay's page (sandboxed: only 'electron' may be required here). It gives the page
// window.hearsayBridge: where Hearsay is, its token, and the status events main.js forwards. The page reads its token
// from the URL fragment too; the bridge also serves pages of the app's own that call Hearsay.
const { contextBridge, ipcRenderer } = require('electron');

const connection = ipcRenderer.sendSync('hearsay:connection');

if (connection) {
  contextBridge.exposeInMainWorld('hearsayBridge', {
    baseUrl: connection.baseUrl,
    token: connection.token,
    /** Calls back with the current status, then each change (see GET /v1/status); returns a function that stops it. */
    onStatus(callback) {
      let active = true;
      let heard = false;
      const listener = (_event, status) => {
        heard = true;
        callback(status);
      };
      ipcRenderer.on('hearsay:status', listener);
      // The current status, unless a newer one has already come.
      ipcRenderer.invoke('hearsay:status').then((status) => {
        if (active && !heard && status) {
          callback(status);
        }
      });
      return () => {
        active = false;
        ipcRenderer.removeListener('hearsay:status', listener);
      };
    },
  });
}

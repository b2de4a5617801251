// Where the page gets the server's token: an Electron preload's bridge, the address's #token=…, or the person.
const storageKey = 'hearsay.token';

/** The API's base URL: the bridge's, else this page's own server. */
export const baseUrl = window.hearsayBridge?.baseUrl ?? location.origin;

/** The token to try first, or null when the page has to ask for one. */
export function findToken() {
  const bridged = window.hearsayBridge?.token;
  if (bridged) {
    return bridged;
  }

  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromFragment) {
    sessionStorage.setItem(storageKey, fromFragment);
    // The token must not stay in the address bar, the history or a screenshot.
    history.replaceState(null, '', location.pathname + location.search);
    return fromFragment;
  }

  return sessionStorage.getItem(storageKey);
}

export function rememberToken(token) {
  sessionStorage.setItem(storageKey, token);
}

export function forgetToken() {
  sessionStorage.removeItem(storageKey);
}

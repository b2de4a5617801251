// The state of each capability and of the programs Hearsay runs, in words.
import { detailsToggle, setDetails } from './details.js';
import { formatSize, toolRemedy } from './format.js';

const stateNames = {
  disabled: 'Off',
  not_installed: 'Not downloaded',
  downloading: 'Downloading',
  loading: 'Loading…',
  ready: 'Ready',
  error: 'Error',
  unavailable: 'Unavailable',
};

/** Fills one capability's row (li with .state and .detail). */
export function renderCapability(row, capability) {
  row.dataset.state = capability.state;
  row.querySelector('.state').textContent = stateNames[capability.state] ?? capability.state;
  row.querySelector('.detail').textContent = detail(capability);
  // After a failed download the reason is in plain words; the URL and HTTP status behind it stay one click away.
  setDetails(row, capability.state === 'error' ? capability.download?.error : null);
}

function detail({ state, model, reason, download, size_bytes: size }) {
  switch (state) {
    case 'disabled':
      return reason ?? 'Turned off when Hearsay was started.';
    case 'not_installed':
      return size ? `${model} (${formatSize(size)})` : model;
    case 'downloading':
      return download?.total_bytes ? `${model}: ${Math.floor((100 * download.bytes_done) / download.total_bytes)}%` : model;
    case 'error':
    case 'unavailable':
      return reason ?? 'No reason was given.';
    default:
      return model ?? '';
  }
}

/** One sentence for the live region: it changes only when a state does, so screen readers are not flooded. */
export function summarize(status) {
  const states = [status.stt.state, status.tts.state];
  const enabled = states.filter(state => state !== 'disabled');
  if (enabled.length === 0) {
    return 'Voice is turned off.';
  }
  if (enabled.every(state => state === 'ready')) {
    return 'Voice is ready.';
  }
  if (enabled.includes('downloading')) {
    return 'Downloading voice…';
  }
  if (enabled.includes('loading')) {
    return 'Loading voice…';
  }
  if (enabled.includes('unavailable') || enabled.includes('error')) {
    return 'Voice is unavailable or limited: see below.';
  }
  if (enabled.includes('not_installed')) {
    return 'Voice is not downloaded yet.';
  }
  return 'Voice is partly ready.';
}

/** Explains each program that is missing, and what its absence costs; hides the box when none is. */
export function renderTools(box, heading, list, status) {
  const missing = (status.tools ?? []).filter(tool => !tool.found);
  box.hidden = missing.length === 0;
  if (box.hidden) {
    return;
  }
  const unavailable = [status.stt, status.tts].some(capability => capability.state === 'unavailable');
  heading.textContent = unavailable ? 'Voice unavailable' : 'Voice limited';
  list.replaceChildren(...missing.map(tool => {
    const item = document.createElement('li');
    item.dataset.tool = tool.name;
    const name = document.createElement('strong');
    name.textContent = `${tool.name} is missing. `;
    item.append(name, `${tool.used_for} ${toolRemedy(tool.name)}`);
    if (tool.reason) {
      // The server's reason is precise (where it looked, how to install per system) but long: one click away.
      item.append(detailsToggle(tool.reason));
    }
    return item;
  }));
}

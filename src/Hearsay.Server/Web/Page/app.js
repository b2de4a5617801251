// Hearsay's first-run page: connect with the token, show the voice's state live, offer the download, try it out.
import { Api, watchStatus } from './api.js';
import { baseUrl, findToken, forgetToken, rememberToken } from './token.js';
import { renderCapability, renderTools, summarize } from './status-view.js';
import { createDownloads } from './downloads.js';
import { createTryIt } from './tryit.js';
import { createDictate } from './dictation.js';

const byId = id => document.getElementById(id);
const ui = {
  tokenPanel: byId('token-panel'), tokenForm: byId('token-form'), tokenInput: byId('token-input'), tokenMessage: byId('token-message'),
  voicePanel: byId('voice-panel'), summary: byId('summary'), connection: byId('connection'),
  sttStatus: byId('stt-status'), ttsStatus: byId('tts-status'),
  tools: byId('tools'), toolsHeading: byId('tools-heading'), toolsList: byId('tools-list'),
  offer: byId('offer'), offerSize: byId('offer-size'), offerError: byId('offer-error'), download: byId('download'), skip: byId('skip'),
  offerDetails: byId('offer-details'), offerDetailsText: byId('offer-details-text'),
  skipped: byId('skipped'), unskip: byId('unskip'),
  progressPanel: byId('progress-panel'), progress: byId('progress'), progressBar: document.querySelector('#progress .bar'),
  progressText: byId('progress-text'), progressModels: byId('progress-models'), cancel: byId('cancel'),
  sttPanel: byId('stt-panel'), record: byId('record'), recordTime: byId('record-time'), sttFile: byId('stt-file'),
  sttNote: byId('stt-note'), sttResult: byId('stt-result'), sttError: byId('stt-error'),
  dictatePanel: byId('dictate-panel'), dictate: byId('dictate'), dictateState: byId('dictate-state'),
  dictation: byId('dictation'), dictateError: byId('dictate-error'),
  ttsPanel: byId('tts-panel'), ttsForm: byId('tts-form'), ttsText: byId('tts-text'), speak: byId('speak'),
  ttsBusy: byId('tts-busy'), ttsAudio: byId('tts-audio'), ttsError: byId('tts-error'),
};

const api = new Api(baseUrl, refused);
const downloads = createDownloads(api, ui);
const tryIt = createTryIt(api, ui);
const dictate = createDictate(api, ui);
let session = null;

ui.tokenForm.addEventListener('submit', event => {
  event.preventDefault();
  connect(ui.tokenInput.value.trim());
});

const token = findToken();
if (token) {
  connect(token);
} else {
  askForToken('');
}

async function connect(token) {
  session?.abort();
  const current = new AbortController();
  session = current;
  api.token = token;
  ui.tokenPanel.hidden = true;
  ui.connection.textContent = 'Connecting to Hearsay…';
  try {
    const status = await api.json('/v1/status', { signal: current.signal });
    rememberToken(token);
    show(status);
  } catch (error) {
    if (current.signal.aborted || error.status === 401) {
      return;
    }
    ui.connection.textContent = `${error.message} Trying again…`;
  }
  watchStatus(api, {
    onStatus: show,
    onConnected: () => { ui.connection.textContent = ''; },
    onDropped: () => { ui.connection.textContent = 'Lost the connection to Hearsay; reconnecting…'; },
  }, current.signal);
}

function show(status) {
  ui.voicePanel.hidden = false;
  renderCapability(ui.sttStatus, status.stt);
  renderCapability(ui.ttsStatus, status.tts);
  const summary = summarize(status);
  if (ui.summary.textContent !== summary) {
    ui.summary.textContent = summary;
  }
  renderTools(ui.tools, ui.toolsHeading, ui.toolsList, status);
  downloads.render(status);
  tryIt.render(status);
  dictate.render(status);
}

function refused() {
  session?.abort();
  forgetToken();
  askForToken('The token was refused. Paste the token from the ready line of this Hearsay.');
}

function askForToken(message) {
  ui.voicePanel.hidden = true;
  ui.sttPanel.hidden = true;
  ui.dictatePanel.hidden = true;
  ui.ttsPanel.hidden = true;
  ui.tokenPanel.hidden = false;
  ui.tokenMessage.textContent = message;
  ui.tokenInput.value = '';
  ui.tokenInput.focus();
}

// The one-time model download: the offer, Skip, the progress bar fed by the status stream, and Cancel.
import { formatSeconds, formatSize } from './format.js';

const skipKey = 'hearsay.voiceSkipped';
const running = new Set(['waiting', 'downloading', 'retrying', 'verifying']);

export function createDownloads(api, ui) {
  // Model id → its latest progress, for the models of the download this page shows (started here or elsewhere).
  const batch = new Map();
  // Model id → its catalog entry (size, install state), fetched when the status alone cannot say.
  const catalog = new Map();
  let catalogFetchedFor = null;
  let status = null;

  ui.download.addEventListener('click', start);
  ui.cancel.addEventListener('click', cancel);
  ui.skip.addEventListener('click', () => {
    localStorage.setItem(skipKey, 'true');
    render(status);
    ui.unskip.focus();
  });
  ui.unskip.addEventListener('click', () => {
    localStorage.removeItem(skipKey);
    render(status);
    ui.download.focus();
  });

  /** Capabilities a download would fix: not installed, or in error because their download failed part-way. */
  function missing() {
    return [status.stt, status.tts].filter(({ state, model }) =>
      model && (state === 'not_installed' || (state === 'error' && ['not_installed', 'partial'].includes(catalog.get(model)?.state))));
  }

  async function start() {
    showProblem('', []);
    batch.clear();
    const models = missing();
    for (const { model, size_bytes: size } of models) {
      batch.set(model, { model, phase: 'waiting', bytes_done: 0, total_bytes: size ?? catalog.get(model)?.size_bytes ?? 0 });
    }
    render(status);
    ui.cancel.focus();
    await Promise.all(models.map(async ({ model }) => {
      try {
        const response = await api.fetch(`/v1/catalog/models/${encodeURIComponent(model)}/download`, { method: 'POST' });
        const body = await response.json();
        // 202 carries the progress so far; 200 means the model was installed already.
        const progress = response.status === 202 ? body : { model, phase: 'installed', bytes_done: body.size_bytes, total_bytes: body.size_bytes };
        if (batch.get(model)?.phase === 'waiting') {
          batch.set(model, progress);
        }
      } catch (error) {
        batch.set(model, { ...batch.get(model), phase: 'failed', error: error.message });
      }
    }));
    render(status);
  }

  async function cancel() {
    const models = [...batch.values()].filter(progress => running.has(progress.phase)).map(progress => progress.model);
    await Promise.all(models.map(model =>
      api.fetch(`/v1/catalog/models/${encodeURIComponent(model)}/download`, { method: 'DELETE' }).catch(() => {
        // Already over: the status stream says how it ended.
      })));
  }

  /** Takes in what the status says about downloads. */
  function absorb() {
    const served = [status.stt.model, status.tts.model];
    for (const progress of status.downloads ?? []) {
      if (batch.has(progress.model) || (served.includes(progress.model) && running.has(progress.phase))) {
        batch.set(progress.model, progress);
      }
    }
    for (const capability of [status.stt, status.tts]) {
      if (capability.state === 'downloading' && capability.download) {
        batch.set(capability.model, capability.download);
      }
      const progress = batch.get(capability.model);
      if (!progress || !running.has(progress.phase)) {
        continue;
      }
      if (capability.state === 'loading' || capability.state === 'ready') {
        batch.set(capability.model, { ...progress, phase: 'installed', bytes_done: progress.total_bytes });
      } else if (capability.state === 'error' && capability.download?.phase === 'failed' && !runningOnServer(capability.model)) {
        // The download's own final status is sent once and a later one can replace it unread (another model's
        // progress); the capability keeps the failure, so the offer can still say why.
        batch.set(capability.model, capability.download);
      }
    }
  }

  function runningOnServer(model) {
    return (status.downloads ?? []).some(progress => progress.model === model && running.has(progress.phase));
  }

  function render(next) {
    status = next;
    if (!status) {
      return;
    }
    absorb();
    refreshCatalog();
    const entries = [...batch.values()];
    const active = entries.some(progress => running.has(progress.phase));
    const needed = missing();
    const skipped = localStorage.getItem(skipKey) === 'true';
    ui.progressPanel.hidden = !active;
    ui.offer.hidden = active || needed.length === 0 || skipped;
    ui.skipped.hidden = active || needed.length === 0 || !skipped;
    if (active) {
      renderProgress(entries);
    } else {
      renderEnding(entries);
    }
    if (!ui.offer.hidden) {
      renderOfferSize(needed);
    }
  }

  function renderProgress(entries) {
    const done = entries.reduce((sum, progress) => sum + (progress.phase === 'installed' ? progress.total_bytes : progress.bytes_done), 0);
    const total = entries.reduce((sum, progress) => sum + progress.total_bytes, 0);
    const percent = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0;
    const text = `${formatSize(done)} of ${formatSize(total)} (${percent}%)`;
    ui.progress.setAttribute('aria-valuenow', String(percent));
    ui.progress.setAttribute('aria-valuetext', text);
    ui.progressBar.style.width = `${percent}%`;
    const etas = entries.filter(progress => progress.phase === 'downloading' && progress.eta_seconds > 0).map(progress => progress.eta_seconds);
    ui.progressText.textContent = etas.length > 0 ? `${text}, about ${formatSeconds(Math.max(...etas))} left` : text;
    ui.progressModels.replaceChildren(...entries.map(progress => {
      const item = document.createElement('li');
      item.textContent = `${progress.model}: ${describePhase(progress)}`;
      return item;
    }));
  }

  /** After a download stops: says why when it did not finish, in plain words with the details behind a toggle, and forgets it. */
  function renderEnding(entries) {
    const failed = entries.filter(progress => progress.phase === 'failed');
    if (failed.length > 0) {
      showProblem(
        failed.map(progress => `The download of ${progress.model} did not finish. ${progress.reason ?? 'Download tries again and resumes what arrived.'}`).join(' '),
        failed.filter(progress => progress.error).map(progress => `${progress.model}: ${progress.error}`));
    } else if (entries.some(progress => progress.phase === 'cancelled')) {
      showProblem('The download was cancelled. What arrived is kept: Download resumes it.', []);
    }
    batch.clear();
  }

  function showProblem(text, details) {
    ui.offerError.textContent = text;
    ui.offerDetails.hidden = details.length === 0;
    ui.offerDetails.open = false;
    ui.offerDetailsText.textContent = details.join('\n');
  }

  function renderOfferSize(needed) {
    const sizes = needed.map(({ model, size_bytes: size }) => size || catalog.get(model)?.size_bytes);
    ui.offerSize.textContent = sizes.every(size => size > 0) ? formatSize(sizes.reduce((sum, size) => sum + size, 0)) : 'a few hundred MB';
  }

  /**
   * Reads the catalog when the status lacks a size, or a capability is in error (a failed download leaves its model
   * partial: the offer comes back). Once per distinct situation, so a steady status costs nothing.
   */
  async function refreshCatalog() {
    const capabilities = [status.stt, status.tts].filter(({ model }) => model);
    const sizeUnknown = capabilities.some(({ state, model, size_bytes: size }) => state === 'not_installed' && !size && !catalog.has(model));
    const errors = capabilities.filter(({ state }) => state === 'error').map(({ model, reason }) => `${model}:${reason}`).join('|');
    const situation = `${sizeUnknown}|${errors}`;
    if ((!sizeUnknown && errors === '') || situation === catalogFetchedFor) {
      return;
    }
    catalogFetchedFor = situation;
    try {
      const list = await api.json('/v1/catalog/models');
      for (const entry of list.models) {
        catalog.set(entry.id, entry);
      }
      render(status);
    } catch {
      // The offer keeps a rough figure; an error stays explained by its capability's reason.
    }
  }

  return { render };
}

function describePhase(progress) {
  switch (progress.phase) {
    case 'waiting':
      return 'waiting…';
    case 'installed':
      return 'done';
    case 'retrying':
      return `${formatSize(progress.bytes_done)} of ${formatSize(progress.total_bytes)}. ${progress.reason ?? 'Trying again…'}`;
    case 'verifying':
      return `${formatSize(progress.bytes_done)} of ${formatSize(progress.total_bytes)}, checking ${progress.file ?? 'a file'}…`;
    default:
      return `${formatSize(progress.bytes_done)} of ${formatSize(progress.total_bytes)}`;
  }
}

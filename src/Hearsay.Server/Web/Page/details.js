// A "Details" toggle: the technical text (paths, URLs, HTTP statuses) one click away from the plain words.

/** A closed <details> element with the summary "Details" and `text`. */
export function detailsToggle(text) {
  const details = document.createElement('details');
  details.className = 'technical';
  const summary = document.createElement('summary');
  summary.textContent = 'Details';
  details.append(summary, text);
  return details;
}

/**
 * Gives `container` one toggle showing `text`, or none when `text` is empty. An unchanged toggle is kept, so one the
 * person opened stays open while the status keeps changing around it.
 */
export function setDetails(container, text) {
  const current = container.querySelector(':scope > details.technical');
  if (current && current.lastChild.textContent === text) {
    return;
  }
  current?.remove();
  if (text) {
    container.append(detailsToggle(text));
  }
}

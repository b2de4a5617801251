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

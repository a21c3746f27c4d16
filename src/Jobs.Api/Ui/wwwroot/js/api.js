// Calls to the API, relative to the page (/ui/ → the API's root, also behind a base path),
// with the caller's credential; refusals become ApiError with the API's own explanation.
import { authorization } from './auth.js';

export const root = new URL('..', location.href);

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Problem details (title + detail), Elasticsearch's error (reason), or the status. */
function explain(status, body) {
  if (body?.title) return body.detail ? `${body.title}: ${body.detail}` : body.title;
  if (body?.error?.reason) return body.error.reason;
  if (status === 401) return 'Not signed in, or the credential was refused.';
  return `The API answered ${status}.`;
}

export function headers(extra = {}) {
  const all = { Accept: 'application/json', ...extra };
  const auth = authorization();
  if (auth) all.Authorization = auth;
  return all;
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const response = await fetch(new URL(path, root), {
    method,
    signal,
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new ApiError(response.status, explain(response.status, json));
  return json;
}

export const segment = encodeURIComponent;

/** The index's status names as the OGC ones the API shows (submitted → accepted, succeeded → successful). */
export function ogcStatus(status) {
  return { submitted: 'accepted', succeeded: 'successful' }[status] ?? status;
}

export function indexStatus(status) {
  return { accepted: 'submitted', successful: 'succeeded' }[status] ?? status;
}

export const finished = (status) => ['successful', 'failed', 'dismissed'].includes(status);

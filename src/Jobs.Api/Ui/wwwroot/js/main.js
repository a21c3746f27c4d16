// The jobs page: sign-in, the filtered and sorted table, the chart, live updates and the details.
import { api, ApiError } from './api.js';
import { credential, describe, finishOidc, signInWithApiKey, signOut, startOidc } from './auth.js';
import { countsFrom, drawChart } from './chart.js';
import * as detail from './detail.js';
import { countSearch, fromSource, fromStatusInfo, listSearch, readFilters, renderRow } from './list.js';
import { follow, POLL_SECONDS } from './stream.js';

const $ = (id) => document.getElementById(id);
const state = { config: null, filters: null, sort: { field: 'created', order: 'desc' }, page: 0, total: 0, shown: new Map(), open: null, feed: null };

function announce(text) {
  $('announce').textContent = text;
}

function showSignIn(message = '') {
  state.feed?.abort();
  $('jobs-view').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('api-key-form').hidden = !state.config.apiKeys;
  $('oidc-sign-in').hidden = !state.config.oidc;
  (state.config.apiKeys ? $('api-key') : $('oidc-button')).focus();
}

/** A refusal of the credential sends the caller back to sign in; anything else is shown where it happened. */
function failed(error, where) {
  if (error instanceof ApiError && error.status === 401 && state.config.mode !== 'local') {
    signOut();
    showSignIn('The API refused the credential (401): sign in again.');
    return;
  }
  $(where).textContent = error.message;
}

let generation = 0;
async function refresh() {
  const filters = state.filters;
  const mine = ++generation;
  try {
    const [list, counts] = await Promise.all([
      api('jobs/_search', { method: 'POST', body: listSearch(filters, state.sort, state.page) }),
      api('jobs/_search', { method: 'POST', body: countSearch(filters) }),
    ]);
    if (mine !== generation) return; // a later refresh (other filters, page or sort) has begun
    $('list-error').textContent = '';
    state.total = list.hits.total?.value ?? list.hits.hits.length;
    const rows = list.hits.hits.map((hit) => fromSource(hit._source));
    const before = state.shown;
    state.shown = new Map(rows.map((r) => [r.id, r]));
    $('rows').replaceChildren(...rows.map((r) => renderRow(r, openDetail)));
    for (const row of rows) {
      const old = before.get(row.id);
      if (old && (old.status !== row.status || old.progress !== row.progress)) changed(row);
    }
    drawChart($('chart'), countsFrom(counts));
    const first = state.total === 0 ? 0 : state.page * filters.size + 1;
    const last = state.page * filters.size + rows.length;
    $('page-info').textContent = state.total === 0 ? 'No job matches.' : `Jobs ${first}–${last} of ${state.total}`;
    $('prev').disabled = state.page === 0;
    $('next').disabled = last >= state.total;
  } catch (error) {
    failed(error, 'list-error');
  }
}

let pending = null;
/** Several events in a burst cause one refresh of the table and the chart. */
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, 500);
}

/** Marks a row whose status or progress changed and says so in the live region. */
function changed(job) {
  const row = document.querySelector(`#rows tr[data-id="${CSS.escape(job.id)}"]`);
  row?.classList.add('changed');
  setTimeout(() => row?.classList.remove('changed'), 2000);
  announce(`Job ${job.id} is ${job.status}${job.progress !== null ? `, ${job.progress}%` : ''}.`);
}

/** One event of the stream: the row is redrawn from the event's job; new jobs and status changes redraw the table. */
function onEvent(event) {
  if (!event.job) return;
  const job = fromStatusInfo(event.job);
  const old = state.shown.get(job.id);
  if (old) {
    state.shown.set(job.id, job);
    const row = document.querySelector(`#rows tr[data-id="${CSS.escape(job.id)}"]`);
    row?.replaceWith(renderRow(job, openDetail));
    if (old.status !== job.status || old.progress !== job.progress) changed(job);
    if (old.status !== job.status) refreshSoon();
  } else {
    refreshSoon();
  }
  if (state.open === job.id) openDetail(job.id, { keepFocus: true });
}

function startFeed() {
  state.feed?.abort();
  state.feed = new AbortController();
  const text = {
    stream: 'Live: following the job event stream.',
    polling: `Live: this server has no event stream; checking every ${POLL_SECONDS} s.`,
    reconnecting: 'Live updates interrupted; reconnecting…',
    refused: 'Live updates refused; sign in again.',
  };
  follow({
    signal: state.feed.signal,
    onEvent,
    onPoll: refresh,
    onMode: (mode) => {
      $('feed').textContent = text[mode];
      $('feed').dataset.mode = mode;
    },
  });
}

async function openDetail(id, { keepFocus = false } = {}) {
  state.open = id;
  const dialog = $('detail');
  $('detail-title').textContent = `Job ${id}`;
  $('detail-error').textContent = '';
  try {
    const { job, history } = await detail.load(id);
    detail.render($('detail-body'), job, history);
    $('dismiss').disabled = !detail.canDismiss(job);
    $('dismiss').onclick = () => act(() => detail.dismiss(job), `Job ${id} dismissed.`, id);
    $('resubmit').onclick = () => act(() => detail.resubmit(job), null, null);
  } catch (error) {
    failed(error, 'detail-error');
  }
  if (!dialog.open) dialog.showModal();
  if (!keepFocus) $('detail-close').focus();
}

/** Dismiss or resubmit, then the table again and the job (the new one after a resubmit). */
async function act(call, message, reopen) {
  try {
    const result = await call();
    const id = reopen ?? result.jobID;
    await refresh();
    await openDetail(id);
    announce(message ?? `Resubmitted as job ${id}.`);
  } catch (error) {
    failed(error, 'detail-error');
  }
}

function showJobs() {
  $('sign-in').hidden = true;
  $('jobs-view').hidden = false;
  const c = credential();
  $('who').textContent = state.config.mode === 'local' ? 'Local administrator (no sign-in on this machine)' : describe(c);
  $('sign-out').hidden = !c;
  state.filters = readFilters($('filters'));
  refresh();
  startFeed();
}

function wire() {
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    state.filters = readFilters($('filters'));
    state.page = 0;
    refresh();
  });
  $('filters').addEventListener('reset', () => setTimeout(() => $('filters').requestSubmit()));
  $('prev').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); refresh(); });
  $('next').addEventListener('click', () => { state.page += 1; refresh(); });
  for (const th of document.querySelectorAll('th[data-sort]')) {
    th.querySelector('button').addEventListener('click', () => {
      const field = th.dataset.sort;
      const text = ['id', 'process-id', 'status'].includes(field);
      state.sort = state.sort.field === field
        ? { field, order: state.sort.order === 'asc' ? 'desc' : 'asc' }
        : { field, order: text ? 'asc' : 'desc' };
      for (const other of document.querySelectorAll('th[data-sort]')) other.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', state.sort.order === 'asc' ? 'ascending' : 'descending');
      state.page = 0;
      refresh();
    });
  }
  $('detail-close').addEventListener('click', () => $('detail').close());
  $('detail').addEventListener('close', () => { state.open = null; });
  $('api-key-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    signInWithApiKey($('api-key').value);
    $('api-key').value = '';
    try {
      await api('jobs?limit=1');
      showJobs();
    } catch (error) {
      signOut();
      showSignIn(error instanceof ApiError && error.status === 401 ? 'The API key was refused.' : error.message);
    }
  });
  $('oidc-button').addEventListener('click', () => startOidc(state.config.oidc).catch((e) => showSignIn(e.message)));
  $('sign-out').addEventListener('click', () => { signOut(); showSignIn(); });
}

async function start() {
  state.config = await (await fetch('config.json')).json();
  wire();
  if (state.config.oidc) {
    try {
      await finishOidc(state.config.oidc);
    } catch (error) {
      showSignIn(error.message);
      return;
    }
  }
  if (state.config.mode === 'local' || credential()) showJobs();
  else showSignIn();
}

start();

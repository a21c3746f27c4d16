// The job's details in a modal dialog: facts, inputs, outputs (http(s) values as links), labels,
// the error, and the history as a timeline (GET /jobs/{id}/history); Dismiss and Resubmit.
import { api, finished, ogcStatus, segment } from './api.js';
import { labelList, statusBadge, timeElement } from './list.js';

export const RESUBMIT_LABEL = 'resubmit-of:';

function element(name, text, className) {
  const e = document.createElement(name);
  if (text !== undefined && text !== null) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function isWebUrl(value) {
  return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value);
}

/** An output: a link where it is an http(s) URL (or an OGC {href}), its JSON otherwise. */
function outputValue(value) {
  const href = isWebUrl(value) ? value : isWebUrl(value?.href) ? value.href : null;
  if (href) {
    const link = element('a', href);
    link.href = href;
    link.rel = 'noopener noreferrer';
    return link;
  }
  return element('code', typeof value === 'string' ? value : JSON.stringify(value));
}

function facts(pairs) {
  const list = element('dl', null, 'facts');
  for (const [name, value] of pairs) {
    if (value === null || value === undefined || value === '') continue;
    list.append(element('dt', name));
    const dd = element('dd');
    dd.append(value instanceof Node ? value : String(value));
    list.append(dd);
  }
  return list;
}

function section(title, content) {
  const s = element('section');
  s.append(element('h3', title), content);
  return s;
}

function timeline(events) {
  const list = element('ol', null, 'timeline');
  list.setAttribute('aria-label', 'History, oldest first');
  for (const event of events) {
    const item = element('li');
    item.append(timeElement(event.time), ' ');
    const what = [
      event.source === 'execute' ? 'created' : event.status ? ogcStatus(event.status) : 'update',
      event.stage && `stage ${event.stage}`,
      event.progress !== undefined && event.progress !== null && `${event.progress}%`,
      event.message && `“${event.message}”`,
      event.outputs && `outputs: ${Object.keys(event.outputs).join(', ')}`,
      event.labels?.add?.length && `+labels ${event.labels.add.join(', ')}`,
      event.labels?.remove?.length && `−labels ${event.labels.remove.join(', ')}`,
      event.error && `error ${event.error.type ?? ''}: ${event.error.message ?? ''}`,
    ].filter(Boolean).join(', ');
    item.append(element('strong', what));
    const origin = [event.source && `from ${event.source}`, event.outcome && event.outcome !== 'applied' && event.outcome, event.reason]
      .filter(Boolean).join(' · ');
    if (origin) item.append(' ', element('span', `(${origin})`, 'hint'));
    list.append(item);
  }
  return list;
}

export function render(body, job, history) {
  body.replaceChildren();
  body.append(facts([
    ['Process', `${job.processID}${job.processVersion ? `:${job.processVersion}` : ''}`],
    ['Status', statusBadge(job.status)],
    ['Progress', job.progress !== undefined && job.progress !== null ? `${job.progress}%` : null],
    ['Stage', job.stage],
    ['Message', job.message],
    ['User', job.userID ?? job['user-id']],
    ['Created', job.created && timeElement(job.created)],
    ['Started', job.started && timeElement(job.started)],
    ['Finished', job.finished && timeElement(job.finished)],
    ['Updated', job.updated && timeElement(job.updated)],
    ['Labels', (job.labels ?? []).length ? labelList(job.labels) : 'none'],
  ]));
  if (job.error) body.append(section('Error', facts([['Type', job.error.type], ['Message', job.error.message]])));
  body.append(section('Inputs', element('pre', JSON.stringify(job.inputs ?? {}, null, 2), 'json')));
  const outputs = Object.entries(job.outputs ?? {});
  body.append(section('Outputs', outputs.length ? facts(outputs.map(([k, v]) => [k, outputValue(v)])) : element('p', 'none yet')));
  body.append(section('History', timeline(history.events ?? [])));
}

export async function load(id) {
  const [job, history] = await Promise.all([api(`jobs/${segment(id)}`), api(`jobs/${segment(id)}/history?limit=1000`)]);
  return { job, history };
}

export const canDismiss = (job) => !finished(job.status);

export function dismiss(job) {
  return api(`jobs/${segment(job.jobID)}`, { method: 'DELETE' });
}

/**
 * A new job with the same process (and version), inputs and labels, plus resubmit-of:<old id>
 * linking it to the job it repeats (the old job's own link is not carried over): as jobsctl resubmit.
 */
export function resubmit(job) {
  const labels = (job.labels ?? []).filter((l) => !l.startsWith(RESUBMIT_LABEL));
  labels.push(RESUBMIT_LABEL + job.jobID);
  const process = job.processVersion ? `${segment(job.processID)}:${segment(job.processVersion)}` : segment(job.processID);
  return api(`processes/${process}/jobs`, { method: 'POST', body: { inputs: job.inputs ?? {}, labels } });
}

// The jobs table: the filters as an Elasticsearch search of the caller's jobs (POST /jobs/_search,
// scoped by the API), sort and from/size paging, and rows kept up to date from job events.
import { indexStatus, ogcStatus } from './api.js';

const FIELDS = ['id', 'process-id', 'process-version', 'status', 'progress', 'stage', 'message', 'labels', 'created', 'updated'];

/** The form's values: status, process, labels, from, to, text, size. */
export function readFilters(form) {
  const data = new FormData(form);
  return {
    status: data.get('status') ?? '',
    process: (data.get('process') ?? '').trim(),
    labels: (data.get('labels') ?? '').split(',').map((l) => l.trim()).filter((l) => l.length > 0),
    from: data.get('from') ?? '',
    to: data.get('to') ?? '',
    text: (data.get('text') ?? '').trim(),
    size: Number(data.get('size') ?? 20),
  };
}

/** Every filter but status: the chart counts each status of the jobs the other filters select. */
function query(filters, withStatus) {
  const filter = [];
  if (withStatus && filters.status) filter.push({ term: { status: indexStatus(filters.status) } });
  if (filters.process) {
    const [id, version] = filters.process.split(':');
    filter.push({ term: { 'process-id': id } });
    if (version) filter.push({ term: { 'process-version': version } });
  }
  for (const label of filters.labels) filter.push({ term: { labels: label } });
  if (filters.from || filters.to) {
    const range = {};
    if (filters.from) range.gte = new Date(filters.from).toISOString();
    if (filters.to) range.lte = new Date(filters.to).toISOString();
    filter.push({ range: { created: range } });
  }
  const must = filters.text ? [{ simple_query_string: { query: filters.text, default_operator: 'and' } }] : [];
  return { bool: { filter, must } };
}

export function listSearch(filters, sort, page) {
  return {
    query: query(filters, true),
    from: page * filters.size,
    size: filters.size,
    sort: [{ [sort.field]: { order: sort.order } }, { id: { order: 'desc' } }],
    track_total_hits: true,
    _source: FIELDS,
  };
}

export function countSearch(filters) {
  return { query: query(filters, false), size: 0, aggs: { by_status: { terms: { field: 'status', size: 10 } } } };
}

/** A row from a search hit's _source (index field names). */
export function fromSource(s) {
  return {
    id: s.id, process: s['process-id'], version: s['process-version'], status: ogcStatus(s.status),
    progress: s.progress ?? null, stage: s.stage ?? null, message: s.message ?? null,
    labels: s.labels ?? [], created: s.created, updated: s.updated,
  };
}

/** A row from an OGC statusInfo (GET /jobs/{id}, the events' "job"). */
export function fromStatusInfo(j) {
  return {
    id: j.jobID, process: j.processID, version: j.processVersion, status: j.status,
    progress: j.progress ?? null, stage: j.stage ?? null, message: j.message ?? null,
    labels: j.labels ?? [], created: j.created, updated: j.updated,
  };
}

export function timeElement(value) {
  const time = document.createElement('time');
  if (value) {
    time.dateTime = value;
    time.textContent = new Date(value).toLocaleString();
  } else {
    time.textContent = '—';
  }
  return time;
}

export function statusBadge(status) {
  const badge = document.createElement('span');
  badge.className = `status ${status}`;
  badge.textContent = status;
  return badge;
}

export function labelList(labels) {
  const span = document.createElement('span');
  for (const label of labels) {
    const item = document.createElement('span');
    item.className = 'label';
    item.textContent = label;
    span.append(item);
  }
  return span;
}

function progressCell(job) {
  const cell = document.createElement('td');
  if (job.progress === null) {
    cell.textContent = '—';
    return cell;
  }
  const bar = document.createElement('progress');
  bar.max = 100;
  bar.value = job.progress;
  bar.setAttribute('aria-label', `Progress of job ${job.id}`);
  cell.append(bar, ` ${job.progress}%`);
  return cell;
}

/** One table row; its first cell's button opens the job's details (onOpen). */
export function renderRow(job, onOpen) {
  const row = document.createElement('tr');
  row.dataset.id = job.id;
  row.dataset.status = job.status;
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'link';
  open.textContent = job.id;
  open.title = 'Show this job';
  open.addEventListener('click', () => onOpen(job.id));
  const cells = [
    open,
    `${job.process ?? ''}${job.version ? `:${job.version}` : ''}`,
    statusBadge(job.status),
    null,
    labelList(job.labels),
    timeElement(job.created),
    timeElement(job.updated),
  ];
  for (const content of cells) {
    if (content === null) {
      row.append(progressCell(job));
      continue;
    }
    const cell = document.createElement('td');
    cell.append(content);
    row.append(cell);
  }
  if (job.stage || job.message) row.cells[2].append(' ', [job.stage, job.message].filter(Boolean).join(' — '));
  return row;
}

// Counts per status as an inline SVG bar chart (no library): a terms aggregation on status.
import { ogcStatus } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';
export const STATUSES = ['accepted', 'running', 'successful', 'failed', 'dismissed'];

function node(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The aggregation's buckets as {status: count}, every status present (0 when absent). */
export function countsFrom(search) {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const bucket of search?.aggregations?.by_status?.buckets ?? []) {
    counts[ogcStatus(bucket.key)] = bucket.doc_count;
  }
  return counts;
}

export function drawChart(figure, counts) {
  figure.querySelector('svg')?.remove();
  const rowHeight = 24;
  const labelWidth = 90;
  const barWidth = 220;
  const max = Math.max(1, ...Object.values(counts));
  const summary = STATUSES.map((s) => `${s} ${counts[s]}`).join(', ');
  const svg = node('svg', {
    width: labelWidth + barWidth + 50, height: rowHeight * STATUSES.length + 4,
    role: 'img', 'aria-labelledby': 'chart-title chart-desc',
  });
  svg.append(node('desc', { id: 'chart-desc' }, summary));
  STATUSES.forEach((status, i) => {
    const y = i * rowHeight + 2;
    const width = Math.round((counts[status] / max) * barWidth);
    const row = node('g', { 'data-status': status });
    row.append(node('text', { x: 0, y: y + 16 }, status));
    row.append(node('rect', { class: `bar ${status}`, x: labelWidth, y: y + 3, width: Math.max(width, 1), height: rowHeight - 8, rx: 3 }));
    row.append(node('text', { x: labelWidth + width + 6, y: y + 16, class: 'count' }, String(counts[status])));
    svg.append(row);
  });
  figure.append(svg);
}

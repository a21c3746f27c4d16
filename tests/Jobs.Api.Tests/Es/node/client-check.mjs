// Drives the official JavaScript client (@elastic/elasticsearch, default settings) against the
// /es endpoint of a running Jobs API and prints what it read as one JSON line; the xunit test
// OfficialJavaScriptClientTests starts the API, runs this, and checks the figures.
// Usage: node client-check.mjs <es base url> <id of a job of alice>
import { Client } from '@elastic/elasticsearch'

const [node, aliceJob] = process.argv.slice(2)
const client = new Client({ node })
const out = {}

const failure = async (call) => {
  try {
    await call()
    return { thrown: false }
  } catch (e) {
    return { thrown: true, name: e.name, status: e.meta?.statusCode, type: e.body?.error?.type, reason: e.body?.error?.reason }
  }
}

const info = await client.info()
out.clusterName = info.cluster_name
out.version = info.version.number
out.ping = await client.ping()

const search = await client.search({
  index: 'jobs',
  query: { bool: { must: [{ term: { labels: 'even' } }], filter: [{ range: { progress: { gte: 40, lte: 60 } } }] } }
})
out.searchIds = search.hits.hits.map(h => h._id).sort()
out.searchTotal = search.hits.total.value

const aggs = await client.search({
  index: '*',
  size: 0,
  aggs: {
    by_status: { terms: { field: 'status' } },
    by_day: { date_histogram: { field: 'created', calendar_interval: 'day' } }
  }
})
out.byStatus = Object.fromEntries(aggs.aggregations.by_status.buckets.map(b => [b.key, b.doc_count]))
out.byDayTotal = aggs.aggregations.by_day.buckets.reduce((n, b) => n + b.doc_count, 0)

out.count = (await client.count({ index: 'jobs', query: { term: { 'user-id': 'bob' } } })).count
const doc = await client.get({ index: 'jobs', id: aliceJob })
out.getUser = doc._source['user-id']
out.exists = await client.exists({ index: 'jobs', id: aliceJob })
out.missingExists = await client.exists({ index: 'jobs', id: 'no-such-job' })
out.mappingStatus = (await client.indices.getMapping({ index: 'jobs' })).jobs.mappings.properties.status.type
out.mget = (await client.mget({ index: 'jobs', ids: [aliceJob, 'no-such-job'] })).docs.map(d => d.found)
out.catIndices = await client.cat.indices({ format: 'json', h: 'index,docs.count' })

out.refused = await failure(() => client.search({ index: 'jobs', query: { script: { script: 'true' } } }))
out.write = await failure(() => client.index({ index: 'jobs', id: 'x', document: { status: 'running' } }))

console.log(JSON.stringify(out))

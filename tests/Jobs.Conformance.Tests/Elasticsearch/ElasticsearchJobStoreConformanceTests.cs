namespace Jobs.Conformance.Tests.Elasticsearch;

/// <summary>
/// The store conformance suite against the Elasticsearch adapter on a live cluster. Set
/// <c>JOBS_TEST_ELASTICSEARCH_URL</c> (or have Docker) to run it; otherwise every test is
/// reported as skipped with the reason.
/// </summary>
public sealed class ElasticsearchJobStoreConformanceTests() : JobStoreConformance(new ElasticsearchStoreFactory());

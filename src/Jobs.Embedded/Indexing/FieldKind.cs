namespace Jobs.Embedded.Indexing;

/// <summary>How the embedded index stores an Elasticsearch field type.</summary>
internal enum FieldKind
{
    /// <summary><c>keyword</c>: exact terms, sortable and aggregatable (sorted-set doc values).</summary>
    Keyword,

    /// <summary><c>text</c>: analysed like Elasticsearch's <c>standard</c> analyser; no sort or aggregation.</summary>
    Text,

    /// <summary><c>integer</c>, <c>long</c>, <c>short</c>, <c>byte</c>.</summary>
    Integer,

    /// <summary><c>double</c>, <c>float</c>.</summary>
    Double,

    /// <summary><c>date</c>: epoch milliseconds.</summary>
    Date,

    /// <summary><c>boolean</c>: indexed as the terms <c>true</c> / <c>false</c>.</summary>
    Boolean,

    /// <summary><c>flattened</c> (<c>flat_object</c>): every leaf a keyword, under the root and under its key path.</summary>
    Flattened,
}

using System.Text.Json.Serialization;
using Jobs.Core.Notifications;

namespace Jobs.Elasticsearch.Store;

/// <summary>The Core notification records as the notification indices keep them (whole, not indexed).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Subscription))]
[JsonSerializable(typeof(Delivery))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;

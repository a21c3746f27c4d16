using System.Text.Json.Serialization;
using Jobs.Core.Notifications;

namespace Jobs.Notifications.Storage;

/// <summary>How the SQLite store keeps subscriptions and deliveries (one JSON column each).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Subscription))]
[JsonSerializable(typeof(Delivery))]
internal sealed partial class NotificationsJsonContext : JsonSerializerContext;

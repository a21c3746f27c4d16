namespace Jobs.Core.Execution;

/// <summary>
/// One entry of an execute request's <c>notifications</c> (Tapis/Agave style): where to tell,
/// on which event (<see cref="Notifications.EventNames"/>), and whether more than once.
/// </summary>
public sealed record NotificationRequest(string Url, string Event, bool Persistent);

using System.Text;

namespace Jobs.Api.Ogc;

/// <summary>The <c>next</c> parameter of <c>GET /jobs/{id}/history</c>: the store's sort key of the page's last event, base64url.</summary>
public static class HistoryCursor
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static string Encode(string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The sort key, or null when the text is not a cursor.</summary>
    public static string? Decode(string text)
    {
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var key = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64));
            // Keys start with the creation flag and 19 digits of ticks (Core's EventOrder).
            return key.Length > 21 && key[0] is '0' or '1' && key.AsSpan(1, 19).ContainsAnyExcept("0123456789") is false ? key : null;
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }
}

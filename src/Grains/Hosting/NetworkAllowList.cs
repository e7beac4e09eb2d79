using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>CIDR allow-lists in options (<c>Metrics:AllowedNetworks</c>, <c>Dashboard:AllowedNetworks</c>): validated, parsed, asked.</summary>
public static class NetworkAllowList
{
    /// <summary>Loopback, IPv4 and IPv6.</summary>
    public static IReadOnlyList<IPNetwork> Loopback { get; } = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public static IReadOnlyList<IPNetwork> Parse(IEnumerable<string> networks) => [.. networks.Select(n => IPNetwork.Parse(n))];

    /// <summary>One start-up error per entry of <paramref name="key"/> that is not a network in CIDR form.</summary>
    public static IEnumerable<ValidationResult> Problems(string key, IEnumerable<string> networks) =>
        networks.Where(n => !IPNetwork.TryParse(n, out _)).Select(n => new ValidationResult(
            $"{key} has '{n}', which is not a network in CIDR form such as 10.0.0.0/8 or ::1/128."));

    /// <summary>True when <paramref name="caller"/> (an IPv4 address mapped to IPv6 counts as IPv4) is in one of the networks.</summary>
    public static bool Admits(this IReadOnlyList<IPNetwork> networks, IPAddress? caller)
    {
        if (caller is null)
        {
            return false;
        }

        caller = caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller;
        return networks.Any(n => n.Contains(caller));
    }
}

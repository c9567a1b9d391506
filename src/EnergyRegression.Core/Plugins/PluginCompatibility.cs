using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Plugins;

/// <summary>
/// Which plugins this host can load: a plugin is compiled against some version of EnergyRegression.Abstractions, and
/// the host provides its own. Semantic versioning of that API (docs/plugins.md, "Compatibility"): the plugin's major
/// version must equal the host's and its minor version must not be newer (a newer minor may use API the host lacks);
/// while the major version is 0 every minor version may break, so the minor versions must be equal. The patch version
/// never matters: the Abstractions assembly version is pinned to major.minor.0 (the package and file versions carry the
/// patch), and the loader gives every plugin the host's Abstractions whatever version it names. The check reads the
/// plugin's assembly reference from its metadata before the assembly is loaded.
/// </summary>
public static class PluginCompatibility
{
    /// <summary>The name of the contract assembly.</summary>
    public const string AbstractionsName = "EnergyRegression.Abstractions";

    /// <summary>The Abstractions version this host provides (its assembly version: major.minor.0).</summary>
    public static Version HostVersion { get; } = typeof(IEventReader).Assembly.GetName().Version ?? new Version(0, 0);

    /// <summary>The Abstractions package version this host provides, patch included (e.g. <c>0.1.7</c>).</summary>
    public static string HostPackageVersion { get; } =
        typeof(IEventReader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? Format(HostVersion);

    /// <summary>The plugin versions this host loads, in words: <c>0.1.x</c> or <c>1.0 … 1.4</c>.</summary>
    public static string CompatibleRange(Version host) =>
        host.Major == 0 ? $"{host.Major}.{host.Minor}.x" : $"{host.Major}.0 … {host.Major}.{host.Minor}";

    /// <summary>True when a plugin built against <paramref name="plugin"/> runs on a host providing <paramref name="host"/>.</summary>
    public static bool IsCompatible(Version host, Version plugin) =>
        plugin.Major == host.Major && (host.Major == 0 ? plugin.Minor == host.Minor : plugin.Minor <= host.Minor);

    /// <summary>The Abstractions version an assembly file references, or null when it references none or is not a .NET assembly.</summary>
    public static Version? ReferencedVersion(string assemblyPath)
    {
        try
        {
            using FileStream stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return null;
            }
            MetadataReader metadata = pe.GetMetadataReader();
            foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
            {
                AssemblyReference reference = metadata.GetAssemblyReference(handle);
                if (metadata.StringComparer.Equals(reference.Name, AbstractionsName))
                {
                    return reference.Version;
                }
            }
            return null;
        }
        catch (BadImageFormatException)
        {
            return null; // not a .NET assembly: the loader reports it
        }
    }

    /// <summary>Throws a <see cref="PluginException"/> naming the file and both versions when the plugin cannot run on this host.</summary>
    public static void Check(string assemblyPath) => Check(assemblyPath, HostVersion);

    /// <summary>As <see cref="Check(string)"/>, against a given host version (for tests).</summary>
    public static void Check(string assemblyPath, Version host)
    {
        if (ReferencedVersion(assemblyPath) is not { } plugin || IsCompatible(host, plugin))
        {
            return;
        }
        string rule = host.Major == 0
            ? $"while the major version is 0 the minor versions must be equal ({host.Major}.{host.Minor}.x)"
            : plugin.Major != host.Major
                ? $"the major versions must be equal ({host.Major}.x)"
                : $"a plugin may not need a newer minor version than the host's ({host.Major}.{host.Minor} or older)";
        string hostVersion = host == HostVersion ? HostPackageVersion : Format(host);
        throw new PluginException($"assembly {assemblyPath}",
            $"was built against {AbstractionsName} {Format(plugin)}, but this energyreg provides {AbstractionsName} {hostVersion}, "
            + $"which is not compatible: {rule} (docs/plugins.md, \"Compatibility\"). To fix it, rebuild the plugin against {AbstractionsName} "
            + $"{hostVersion}: set <EnergyRegressionAbstractionsVersion>{hostVersion}</EnergyRegressionAbstractionsVersion> in its "
            + $"Directory.Build.props (or the Version of its {AbstractionsName} PackageReference) and build it again; "
            + $"or run it with an energyreg that provides {AbstractionsName} {plugin.Major}.{plugin.Minor}.");
    }

    /// <summary>Major.minor.patch.</summary>
    public static string Format(Version version) => version.ToString(version.Build < 0 ? 2 : 3);
}

using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary><c>dotnet pack</c> of EnergyRegression.Abstractions: the package plugin authors reference (docs/plugins.md).</summary>
public sealed class PackageTests
{
    [Fact]
    public void Abstractions_packs_with_the_assembly_its_xml_docs_readme_and_the_version_from_one_place()
    {
        string version = Dotnet.AbstractionsVersion;
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        Assert.True(File.Exists(PluginPackages.File("EnergyRegression.Abstractions")), PluginPackages.File("EnergyRegression.Abstractions"));

        using ZipArchive package = ZipFile.OpenRead(PluginPackages.File("EnergyRegression.Abstractions"));
        string[] entries = package.Entries.Select(e => e.FullName).ToArray();
        Assert.Contains("lib/net10.0/EnergyRegression.Abstractions.dll", entries);
        Assert.Contains("lib/net10.0/EnergyRegression.Abstractions.xml", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.EndsWith(".deps.json", StringComparison.Ordinal) || e.Contains("PublicAPI", StringComparison.Ordinal));

        XElement metadata = XDocument.Load(package.GetEntry("EnergyRegression.Abstractions.nuspec")!.Open()).Root!.Elements().First();
        string Meta(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal("EnergyRegression.Abstractions", Meta("id"));
        Assert.Equal(version, Meta("version"));
        Assert.Equal("MIT", Meta("license"));
        Assert.Equal("README.md", Meta("readme"));
        Assert.Contains("plugins", Meta("description"), StringComparison.Ordinal);
        // No package dependencies: the contracts need the BCL only.
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");

        // The packed assembly is the tool's own, byte for byte, and carries the same version.
        using var packed = new MemoryStream();
        package.GetEntry("lib/net10.0/EnergyRegression.Abstractions.dll")!.Open().CopyTo(packed);
        string toolCopy = Path.Combine(Path.GetDirectoryName(Tool.ToolDll)!, "EnergyRegression.Abstractions.dll");
        Assert.Equal(File.ReadAllBytes(toolCopy), packed.ToArray());
        Assert.Equal(version, AssemblyName.GetAssemblyName(toolCopy).Version!.ToString(3));

        using var docs = new StreamReader(package.GetEntry("lib/net10.0/EnergyRegression.Abstractions.xml")!.Open());
        string xml = docs.ReadToEnd();
        Assert.Contains("<member name=\"T:EnergyRegression.Plugins.PluginAttribute\">", xml, StringComparison.Ordinal);
        Assert.Contains("<member name=\"T:EnergyRegression.Configuration.PluginConfig\">", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_public_symbol_is_declared_in_the_public_api_files()
    {
        // The analyzer enforces this in the build (RS0016/RS0017 are errors); this pins that it stays switched on.
        string project = Path.Combine(Tool.RepoRoot, "src", "EnergyRegression.Abstractions");
        string csproj = File.ReadAllText(Path.Combine(project, "EnergyRegression.Abstractions.csproj"));
        Assert.Contains("Microsoft.CodeAnalysis.PublicApiAnalyzers", csproj, StringComparison.Ordinal);
        string[] shipped = File.ReadAllLines(Path.Combine(project, "PublicAPI.Shipped.txt"));
        Assert.Equal("#nullable enable", shipped[0]);
        Assert.Contains("EnergyRegression.Plugins.PluginAttribute.PluginAttribute(string! name) -> void", shipped);
        Assert.Contains("EnergyRegression.Configuration.PluginConfig", shipped);
    }

    [Fact]
    public void Testing_and_the_template_package_sit_beside_abstractions_with_the_same_version()
    {
        string version = Dotnet.AbstractionsVersion;
        using (ZipArchive testing = ZipFile.OpenRead(PluginPackages.File("EnergyRegression.Testing")))
        {
            string[] entries = testing.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net10.0/EnergyRegression.Testing.dll", entries);
            Assert.Contains("lib/net10.0/EnergyRegression.Testing.xml", entries);
            Assert.Contains("README.md", entries);
            XElement metadata = XDocument.Load(testing.GetEntry("EnergyRegression.Testing.nuspec")!.Open()).Root!.Elements().First();
            Assert.Equal(version, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
            // It brings the contracts with it: a plugin's test project needs them at run time.
            XElement dependency = Assert.Single(metadata.Descendants(), e => e.Name.LocalName == "dependency");
            Assert.Equal(("EnergyRegression.Abstractions", version), (dependency.Attribute("id")!.Value, dependency.Attribute("version")!.Value));
        }
        using ZipArchive templates = ZipFile.OpenRead(PluginPackages.File("EnergyRegression.Templates"));
        XElement nuspec = XDocument.Load(templates.GetEntry("EnergyRegression.Templates.nuspec")!.Open()).Root!.Elements().First();
        Assert.Equal("Template", nuspec.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")!.Value);
        using var reader = new StreamReader(templates.GetEntry("content/energyreg-plugin/.template.config/template.json")!.Open());
        string template = reader.ReadToEnd();
        // The packed template's default package source is the folder the packages are in.
        Assert.Contains($"\"parameters\": {{ \"value\": \"{PluginPackages.Folder}\" }}", template, StringComparison.Ordinal);
        foreach (string kind in new[] { "reader", "selection", "feature", "regressor", "trainable-regressor", "writer" })
        {
            Assert.Contains($"content/energyreg-plugin/{kind}/chain.yaml", templates.Entries.Select(e => e.FullName));
        }
        Assert.DoesNotContain(templates.Entries, e => e.FullName.Contains("/bin/", StringComparison.Ordinal) || e.FullName.Contains("/obj/", StringComparison.Ordinal));
    }
}

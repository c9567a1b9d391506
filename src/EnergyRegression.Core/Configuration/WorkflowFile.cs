using System.ComponentModel;
using EnergyRegression.Configuration;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Configuration;

/// <summary>
/// A workflow file (docs/configuration.md, "Workflows"): a name and steps, each training, running or evaluating one
/// chain file, so that simulate → train → apply → evaluate is one command (<c>energyreg run workflow.yaml</c>).
/// A file with <c>steps:</c> and no <c>reader:</c> is a workflow.
/// </summary>
public sealed class WorkflowDefinition : PluginConfig
{
    [Description("A name for the workflow, used in messages and the summary.")]
    public string Name { get; set; } = "workflow";

    [Description("The steps, run in order; each names one chain file (relative to the workflow file) with `train:`, `run:` or `evaluate:`.")]
    public required WorkflowStep[] Steps { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Steps.Length == 0)
        {
            throw new ConfigValueException("steps", "a workflow needs at least one step");
        }
    }
}

/// <summary>One step of a workflow: a command and the chain file it runs.</summary>
public sealed class WorkflowStep : PluginConfig
{
    [Description("`energyreg train` this chain file.")]
    public string? Train { get; set; }

    [Description("`energyreg run` this chain file.")]
    public string? Run { get; set; }

    [Description("`energyreg evaluate` this chain file.")]
    public string? Evaluate { get; set; }

    [Description("The report directory of an `evaluate` step (default: out/evaluate/<chain name>).")]
    public string? Report { get; set; }

    /// <summary>The command: train, run or evaluate.</summary>
    public string Command => Train is not null ? "train" : Run is not null ? "run" : "evaluate";

    /// <summary>The chain file, as written.</summary>
    public string Chain => Train ?? Run ?? Evaluate!;

    /// <inheritdoc />
    public override void Validate()
    {
        int commands = (Train is null ? 0 : 1) + (Run is null ? 0 : 1) + (Evaluate is null ? 0 : 1);
        if (commands != 1)
        {
            throw new ConfigValueException("train", "a step has exactly one of 'train:', 'run:' or 'evaluate:' (the chain file it runs)");
        }
        if (Report is not null && Evaluate is null)
        {
            throw new ConfigValueException("report", "only an 'evaluate:' step writes a report");
        }
    }
}

/// <summary>Reads workflow files.</summary>
public static class WorkflowFile
{
    /// <summary>
    /// Reads <paramref name="path"/> as a workflow when it is one (a mapping with <c>steps:</c> and no <c>reader:</c>);
    /// null for any other file (a chain, or text that is not YAML: the chain loader reports it).
    /// </summary>
    public static WorkflowDefinition? TryLoad(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        YamlNode? root;
        try
        {
            root = YamlTreeReader.Parse(text, path);
        }
        catch (ConfigurationException)
        {
            return null;
        }
        if (root is not YamlMapping mapping || mapping.Find("steps") is null || mapping.Find("reader") is not null)
        {
            return null;
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var binder = new ConfigBinder(path, new Dictionary<string, string>(StringComparer.Ordinal) { ["CONFIG_DIR"] = directory });
        var workflow = (WorkflowDefinition)binder.Bind(typeof(WorkflowDefinition), mapping, "the workflow", mapping.Position);
        var items = ((YamlSequence)mapping.Find("steps")!).Items;
        for (int i = 0; i < workflow.Steps.Length; i++)
        {
            string chain = ChainPath(path, workflow.Steps[i]);
            if (!File.Exists(chain))
            {
                throw binder.AtKey(items[i] as YamlMapping, items[i].Position, workflow.Steps[i].Command, $"no such chain file: {chain}");
            }
        }
        return workflow;
    }

    /// <summary>The chain file of a step: relative paths are relative to the workflow file's directory.</summary>
    public static string ChainPath(string workflowPath, WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        string directory = Path.GetDirectoryName(Path.GetFullPath(workflowPath)) ?? ".";
        return Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(directory, step.Chain));
    }
}

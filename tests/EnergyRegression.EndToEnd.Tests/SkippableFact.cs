using Xunit.Abstractions;
using Xunit.Sdk;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// A fact that may skip itself at run time by throwing <see cref="SkipException"/> (xunit 2 has no Assert.Skip): the
/// test is reported as skipped with the exception's message as the reason, never as passed.
/// </summary>
[XunitTestCaseDiscoverer("EnergyRegression.EndToEnd.Tests.SkippableFactDiscoverer", "EnergyRegression.EndToEnd.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SkippableFactAttribute : FactAttribute;

/// <summary>Thrown by a <see cref="SkippableFactAttribute"/> test to skip itself, with the reason.</summary>
public sealed class SkipException(string reason) : Exception(reason);

/// <summary>Makes <see cref="SkippableTestCase"/>s of <see cref="SkippableFactAttribute"/> methods.</summary>
public sealed class SkippableFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new SkippableTestCase(diagnostics, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

/// <summary>A test case that turns a failure by <see cref="SkipException"/> into a skip.</summary>
public sealed class SkippableTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippableTestCase()
    {
    }

    public SkippableTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(diagnostics, display, options, method)
    {
    }

    public override async Task<Xunit.Sdk.RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        using var bus = new SkippingBus(messageBus);
        Xunit.Sdk.RunSummary summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        if (bus.Skipped > 0)
        {
            summary.Failed -= bus.Skipped;
            summary.Skipped += bus.Skipped;
        }
        return summary;
    }

    private sealed class SkippingBus(IMessageBus inner) : IMessageBus
    {
        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(SkipException).FullName)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "skipped"));
            }
            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
            // The inner bus belongs to the runner.
        }
    }
}

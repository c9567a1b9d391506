using System.Threading.Channels;
using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Running;

/// <summary>Settings of one pass over the events.</summary>
public sealed record EventLoopOptions
{
    /// <summary>Events per batch.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Worker threads running the stages.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Stop after this many input events (0 = all).</summary>
    public long MaxEvents { get; init; }

    /// <summary>
    /// Batches alive at once (reading, processing, waiting to be written). This bound, not the input size,
    /// sets the memory a run needs. Defaults to threads + 2.
    /// </summary>
    public int? MaxBatchesInFlight { get; init; }
}

/// <summary>What a pass did.</summary>
public sealed record EventLoopResult(long EventsRead, long EventsWritten, CutFlow CutFlow, TimeSpan Elapsed);

/// <summary>
/// The event loop: reader → stages → writer over batches. Reading runs on one thread, the stages on
/// <see cref="EventLoopOptions.Threads"/> workers, writing on one thread, joined by channels. Batches carry
/// their input sequence number and the writer restores input order. A semaphore caps the batches in flight,
/// so memory is bounded by batch size, never by file size. With a <paramref name="sink"/>, every batch that
/// reaches the end is handed to it in input order instead of being disposed (training keeps them in memory).
/// </summary>
public sealed class EventLoop(Chain chain, IProgressDisplay progress, Action<EventBatch>? sink = null)
{
    private readonly Chain _chain = chain;

    private sealed record InFlight(long Sequence, EventBatch Batch, int InputEvents);

    /// <summary>Runs the chain's reader through its stages into its writer (if any). The writer must be opened by the caller.</summary>
    public async Task<EventLoopResult> RunAsync(EventLoopOptions options, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        int threads = Math.Max(1, options.Threads);
        int maxInFlight = Math.Max(2, options.MaxBatchesInFlight ?? threads + 2);

        var cutFlow = new CutFlow();
        CutFlowStep readStep = cutFlow.AddStep(_chain.Reader.Label, "reader");
        CutFlowStep[] stageSteps = _chain.Stages
            .Select(s => cutFlow.AddStep(s.Label, Configuration.Naming.ToSnakeCase(s.Plugin.Kind.ToString())))
            .ToArray();
        CutFlowStep? writeStep = _chain.Writer is null ? null : cutFlow.AddStep(_chain.Writer.Label, "writer");

        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Exception? firstError = null;
        void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref firstError, e, null);
            failure.Cancel();
        }

        var reader = (IEventReader)_chain.Reader.Instance;
        long? total = null;
        try
        {
            total = reader.CountEvents();
        }
        catch (Exception e)
        {
            throw _chain.Reader.Translate(e, "to count its events");
        }
        if (options.MaxEvents > 0)
        {
            total = total is null ? options.MaxEvents : Math.Min(total.Value, options.MaxEvents);
        }

        using IProgressTask bar = progress.Start("events", total);
        using var slots = new SemaphoreSlim(maxInFlight);
        var toWork = Channel.CreateUnbounded<InFlight>(new UnboundedChannelOptions { SingleWriter = true });
        var toWrite = Channel.CreateUnbounded<InFlight>(new UnboundedChannelOptions { SingleReader = true });
        long eventsRead = 0;
        long eventsWritten = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        CancellationToken token = failure.Token;

        var readTask = Task.Run(() =>
        {
            try
            {
                long sequence = 0;
                using IEnumerator<EventBatch> batches = reader.ReadBatches(options.BatchSize, token).GetEnumerator();
                while (!token.IsCancellationRequested)
                {
                    slots.Wait(token);
                    EventBatch batch;
                    try
                    {
                        if (!batches.MoveNext())
                        {
                            slots.Release();
                            break;
                        }
                        batch = batches.Current;
                    }
                    catch (Exception e)
                    {
                        slots.Release();
                        throw _chain.Reader.Translate(e, "reading");
                    }
                    bool last = false;
                    if (options.MaxEvents > 0 && eventsRead + batch.EventCount >= options.MaxEvents)
                    {
                        int keep = (int)(options.MaxEvents - eventsRead);
                        bool[] mask = new bool[batch.EventCount];
                        mask.AsSpan(0, keep).Fill(true);
                        batch.KeepEvents(mask);
                        last = true;
                    }
                    BatchCounts counts = CutFlowStep.Count(batch);
                    readStep.Record(counts, counts);
                    eventsRead += batch.EventCount;
                    if (!toWork.Writer.TryWrite(new InFlight(sequence++, batch, batch.EventCount)))
                    {
                        batch.Dispose();
                    }
                    if (last)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                toWork.Writer.Complete();
            }
        }, CancellationToken.None);

        Task[] workers = Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (InFlight item in toWork.Reader.ReadAllAsync(token))
                {
                    try
                    {
                        // Each stage's "after" counts are the next stage's "before": count once per stage.
                        BatchCounts counts = CutFlowStep.Count(item.Batch);
                        for (int i = 0; i < _chain.Stages.Count; i++)
                        {
                            token.ThrowIfCancellationRequested();
                            counts = RunStage(_chain.Stages[i], stageSteps[i], item.Batch, counts);
                        }
                    }
                    catch
                    {
                        item.Batch.Dispose();
                        slots.Release();
                        throw;
                    }
                    toWrite.Writer.TryWrite(item);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Fail(e);
            }
        }, CancellationToken.None)).ToArray();

        Task allWorkers = Task.WhenAll(workers).ContinueWith(_ => toWrite.Writer.Complete(), TaskScheduler.Default);

        var writer = _chain.Writer?.Instance as IEventWriter;
        var writeTask = Task.Run(async () =>
        {
            var pending = new SortedDictionary<long, InFlight>();
            long next = 0;
            try
            {
                await foreach (InFlight item in toWrite.Reader.ReadAllAsync(token))
                {
                    pending.Add(item.Sequence, item);
                    while (pending.Remove(next, out InFlight? ready))
                    {
                        next++;
                        bool handedOver = false;
                        try
                        {
                            if (writer is not null)
                            {
                                BatchCounts counts = CutFlowStep.Count(ready.Batch);
                                try
                                {
                                    writer.Write(ready.Batch);
                                }
                                catch (Exception e)
                                {
                                    throw _chain.Writer!.Translate(e, $"writing entries from {ready.Batch.FirstEntry}");
                                }
                                writeStep!.Record(counts, counts);
                            }
                            eventsWritten += ready.Batch.EventCount;
                            bar.Advance(ready.InputEvents);
                            if (sink is not null)
                            {
                                sink(ready.Batch);
                                handedOver = true;
                            }
                        }
                        finally
                        {
                            if (!handedOver)
                            {
                                ready.Batch.Dispose();
                            }
                            slots.Release();
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                foreach (InFlight left in pending.Values)
                {
                    left.Batch.Dispose();
                }
            }
        }, CancellationToken.None);

        await Task.WhenAll(readTask, allWorkers, writeTask);
        while (toWork.Reader.TryRead(out InFlight? orphan))
        {
            orphan.Batch.Dispose();
        }
        while (toWrite.Reader.TryRead(out InFlight? orphan))
        {
            orphan.Batch.Dispose();
        }

        if (firstError is not null)
        {
            throw firstError;
        }
        cancellation.ThrowIfCancellationRequested();
        return new EventLoopResult(eventsRead, eventsWritten, cutFlow, started.Elapsed);
    }

    /// <summary>Runs one stage on a batch, records its cut-flow row and returns the counts after it.</summary>
    private static BatchCounts RunStage(ChainStep step, CutFlowStep row, EventBatch batch, BatchCounts before)
    {
        long firstEntry = batch.FirstEntry;
        IReadOnlyList<CutCount>? cuts = null;
        try
        {
            cuts = step.Process(batch);
        }
        catch (Exception e)
        {
            throw step.Translate(e, $"processing the batch of input entries from {firstEntry}");
        }
        BatchCounts after = CutFlowStep.Count(batch);
        row.Record(before, after, cuts);
        return after;
    }
}

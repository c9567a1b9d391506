namespace EnergyRegression.Hdf5.Format;

/// <summary>Header message types used by this reader (spec IV.A.2).</summary>
internal static class H5MessageType
{
    public const int Nil = 0x00;
    public const int Dataspace = 0x01;
    public const int LinkInfo = 0x02;
    public const int Datatype = 0x03;
    public const int FillValueOld = 0x04;
    public const int FillValue = 0x05;
    public const int Link = 0x06;
    public const int ExternalFiles = 0x07;
    public const int Layout = 0x08;
    public const int FilterPipeline = 0x0B;
    public const int Attribute = 0x0C;
    public const int Continuation = 0x10;
    public const int SymbolTable = 0x11;
    public const int AttributeInfo = 0x15;
}

/// <summary>One header message: its type, flags and body.</summary>
internal sealed record H5Message(int Type, byte Flags, byte[] Body)
{
    /// <summary>Flag bit 1: the body is a reference to a shared message, not the message.</summary>
    public bool IsShared => (Flags & 0x02) != 0;
}

/// <summary>
/// An object header (spec IV.A): version 1 (8-byte aligned messages) or version 2 ("OHDR", lookup3
/// checksum on the first chunk and on every "OCHK" continuation chunk, verified here), with its
/// continuation chunks followed. The object is a group, a dataset or a committed datatype according to
/// its messages.
/// </summary>
internal sealed class H5ObjectHeader
{
    private const int MaxChunks = 10_000;

    private H5ObjectHeader(ulong address, List<H5Message> messages)
    {
        Address = address;
        Messages = messages;
    }

    public ulong Address { get; }

    public IReadOnlyList<H5Message> Messages { get; }

    public H5Message? First(int type) => Messages.FirstOrDefault(m => m.Type == type);

    public IEnumerable<H5Message> All(int type) => Messages.Where(m => m.Type == type);

    public bool Has(int type) => Messages.Any(m => m.Type == type);

    public static H5ObjectHeader Read(H5Source source, ulong address)
    {
        string what = $"object header at {H5Source.Hex(address)}";
        byte[] start = source.ReadUpTo(address, 4, what);
        var messages = new List<H5Message>();
        var continuations = new Queue<(ulong Address, ulong Length)>();
        var seen = new HashSet<ulong> { address };
        if (start.Length == 4 && start[0] == 'O' && start[1] == 'H' && start[2] == 'D' && start[3] == 'R')
        {
            byte flags = ReadVersion2(source, address, what, messages, continuations);
            int chunks = 0;
            while (continuations.Count > 0)
            {
                (ulong at, ulong length) = continuations.Dequeue();
                CheckContinuation(source, what, at, length, seen, ++chunks);
                var c = new H5Cursor(source, source.Read(at, (long)length, what), $"{what}, continuation chunk at {H5Source.Hex(at)}");
                c.Signature("OCHK");
                // The checksum first: a damaged chunk is reported as such, not as whatever its bytes now say.
                c.Position = c.Data.Length - 4;
                c.Checksum();
                c.Position = 4;
                ReadMessages2(c, c.Data.Length - 4, flags, messages, continuations);
            }
        }
        else
        {
            ReadVersion1(source, address, what, messages, continuations, seen);
        }
        return new H5ObjectHeader(address, messages);
    }

    private static void CheckContinuation(H5Source source, string what, ulong at, ulong length, HashSet<ulong> seen, int chunks)
    {
        if (!seen.Add(at) || chunks > MaxChunks)
        {
            throw source.Error(what, "Its continuation chunks form a loop: the file is damaged.");
        }
        if (length > int.MaxValue / 2 || length < 8)
        {
            throw source.Error(what, $"A continuation chunk of {length} bytes is impossible: the file is damaged.");
        }
    }

    private static void ReadVersion1(H5Source source, ulong address, string what, List<H5Message> messages, Queue<(ulong, ulong)> continuations, HashSet<ulong> seen)
    {
        H5Cursor c = source.Cursor(address, 16, what);
        int version = c.U8();
        if (version != 1)
        {
            throw c.Fail($"Object header version {version} is unknown (1, or 2 with an OHDR signature): the file is damaged or an address is wrong.");
        }
        c.Skip(1);
        int total = c.U16();
        c.Skip(4); // reference count
        uint size = c.U32();
        // The messages start at the next 8-byte boundary after the 12-byte prefix.
        var blocks = new Queue<(ulong Address, ulong Length)>();
        blocks.Enqueue((address + 16, size));
        int chunks = 0;
        while (blocks.Count > 0)
        {
            (ulong at, ulong length) = blocks.Dequeue();
            if (length > int.MaxValue / 2)
            {
                throw c.Fail($"A header block of {length} bytes is impossible: the file is damaged.");
            }
            var block = new H5Cursor(source, source.Read(at, (long)length, what), what);
            while (block.Remaining >= 8)
            {
                int type = block.U16();
                int bodySize = block.U16();
                byte flags = block.U8();
                block.Skip(3);
                byte[] body = block.Bytes(bodySize).ToArray();
                if (type == H5MessageType.Continuation)
                {
                    var cc = new H5Cursor(source, body, what);
                    ulong next = cc.Offset();
                    ulong nextLength = cc.Length();
                    CheckContinuation(source, what, next, nextLength, seen, ++chunks);
                    blocks.Enqueue((next, nextLength));
                }
                else if (type != H5MessageType.Nil)
                {
                    messages.Add(new H5Message(type, flags, body));
                }
                if (messages.Count > total + 1000)
                {
                    throw block.Fail("It has more messages than its count says: the file is damaged.");
                }
            }
        }
    }

    private static byte ReadVersion2(H5Source source, ulong address, string what, List<H5Message> messages, Queue<(ulong, ulong)> continuations)
    {
        byte[] prefix = source.ReadUpTo(address, 6 + 16 + 4 + 8, what);
        var p = new H5Cursor(source, prefix, what);
        p.Signature("OHDR");
        int version = p.U8();
        if (version != 2)
        {
            throw p.Fail($"Object header version {version} is unknown (2 after OHDR): the file is damaged.");
        }
        byte flags = p.U8();
        if ((flags & 0x20) != 0)
        {
            p.Skip(16); // access, modification, change, birth times
        }
        if ((flags & 0x10) != 0)
        {
            p.Skip(4); // attribute phase change values
        }
        ulong chunk0 = p.Unsigned(1 << (flags & 0x03));
        if (chunk0 > int.MaxValue / 2)
        {
            throw p.Fail($"A first chunk of {chunk0} bytes is impossible: the file is damaged.");
        }
        int headerLength = p.Position;
        var c = new H5Cursor(source, source.Read(address, headerLength + (long)chunk0 + 4, what), what) { Position = headerLength + (int)chunk0 };
        c.Checksum();
        c.Position = headerLength;
        ReadMessages2(c, headerLength + (int)chunk0, flags, messages, continuations);
        return flags;
    }

    private static void ReadMessages2(H5Cursor c, int end, byte flags, List<H5Message> messages, Queue<(ulong, ulong)> continuations)
    {
        bool creationOrder = (flags & 0x04) != 0;
        int headerSize = creationOrder ? 6 : 4;
        while (end - c.Position >= headerSize)
        {
            int type = c.U8();
            int bodySize = c.U16();
            byte messageFlags = c.U8();
            if (creationOrder)
            {
                c.Skip(2);
            }
            if (bodySize > end - c.Position)
            {
                throw c.Fail($"A message of {bodySize} bytes runs past the end of its chunk: the file is damaged.");
            }
            byte[] body = c.Bytes(bodySize).ToArray();
            if (type == H5MessageType.Continuation)
            {
                var cc = new H5Cursor(c.Source, body, c.What);
                continuations.Enqueue((cc.Offset(), cc.Length()));
            }
            else if (type != H5MessageType.Nil)
            {
                messages.Add(new H5Message(type, messageFlags, body));
            }
        }
    }
}

namespace EnergyRegression.Hdf5.Format;

/// <summary>
/// The superblock (spec II.A): found at byte 0, or after a user block at 512, 1024, 2048, … bytes; its
/// version, the sizes of offsets and lengths, the root group's object header and the end-of-file address.
/// Versions 2 and 3 carry a lookup3 checksum, verified here.
/// </summary>
internal sealed class H5Superblock
{
    public int Version { get; private init; }

    /// <summary>Absolute position of the signature; every address of the file is relative to it.</summary>
    public long BaseAddress { get; private init; }

    public int OffsetSize { get; private init; }

    public int LengthSize { get; private init; }

    public ulong RootObjectHeader { get; private init; }

    /// <summary>For version 0/1: the root's B-tree and local heap cached in its symbol table entry (cache type 1), else null.</summary>
    public (ulong BTree, ulong Heap)? RootSymbolTable { get; private init; }

    public static H5Superblock Read(H5Source source)
    {
        ReadOnlySpan<byte> signature = Hdf5File.Signature;
        Span<byte> head = stackalloc byte[8];
        long at = 0;
        while (true)
        {
            if (at + 8 > source.Length)
            {
                throw source.Error("file", source.Length < 8
                    ? $"It has {source.Length} bytes, too few for an HDF5 file."
                    : "It is not an HDF5 file: no HDF5 signature at byte 0 or after a user block (512, 1024, 2048, … bytes).");
            }
            source.ReadAbsolute(at, head, "file");
            if (head.SequenceEqual(signature))
            {
                break;
            }
            at = at == 0 ? 512 : at * 2;
        }
        const string What = "superblock";
        byte[] bytes = new byte[(int)Math.Min(source.Length - at, 256)];
        source.ReadAbsolute(at, bytes, What);
        var c = new H5Cursor(source, bytes, What) { Position = 8 };
        int version = c.U8();
        switch (version)
        {
            case 0:
            case 1:
            {
                c.Skip(4); // free-space, root group symbol table entry, reserved, shared header message versions
                int offsets = c.U8();
                int lengths = c.U8();
                CheckSizes(c, offsets, lengths);
                c.Skip(1 + 2 + 2 + 4); // reserved, group leaf K, group internal K, file consistency flags
                if (version == 1)
                {
                    c.Skip(4); // indexed storage internal K, reserved
                }
                var sizes = new Sizes(offsets, lengths);
                sizes.Read(c); // base address: HDF5 takes the signature's position when they differ
                sizes.Read(c); // free-space info (unused)
                ulong eof = sizes.Read(c);
                sizes.Read(c); // driver info
                sizes.Read(c); // root symbol table entry: link name offset
                ulong root = sizes.Read(c);
                uint cacheType = c.U32();
                c.Skip(4);
                (ulong, ulong)? table = null;
                if (cacheType == 1)
                {
                    table = (sizes.Read(c), sizes.Read(c));
                }
                CheckEnd(source, at, eof, offsets);
                return new H5Superblock { Version = version, BaseAddress = at, OffsetSize = offsets, LengthSize = lengths, RootObjectHeader = root, RootSymbolTable = table };
            }
            case 2:
            case 3:
            {
                int offsets = c.U8();
                int lengths = c.U8();
                CheckSizes(c, offsets, lengths);
                c.Skip(1); // flags
                var sizes = new Sizes(offsets, lengths);
                sizes.Read(c); // base address
                sizes.Read(c); // superblock extension
                ulong eof = sizes.Read(c);
                ulong root = sizes.Read(c);
                c.Checksum();
                CheckEnd(source, at, eof, offsets);
                return new H5Superblock { Version = version, BaseAddress = at, OffsetSize = offsets, LengthSize = lengths, RootObjectHeader = root };
            }
            default:
                throw c.Fail($"Superblock version {version} is unknown (this reader knows 0–3).");
        }
    }

    private static void CheckSizes(H5Cursor c, int offsets, int lengths)
    {
        if (offsets is not (2 or 4 or 8) || lengths is not (2 or 4 or 8))
        {
            throw c.Fail($"Sizes of offsets {offsets} and lengths {lengths} are impossible (2, 4 or 8): the file is damaged.");
        }
    }

    private static void CheckEnd(H5Source source, long baseAddress, ulong eof, int offsets)
    {
        // HDF5 refuses a file shorter than its end-of-file address ("truncated file").
        bool undefined = offsets == 8 ? eof == ulong.MaxValue : eof == (1UL << (8 * offsets)) - 1;
        // HDF5 writes it relative to the base address, or (after a user block, base address 0) as the file size.
        if (!undefined && (ulong)source.Length < eof)
        {
            throw source.Error("file", $"The file is truncated: the superblock says it ends at byte {eof}, but it has {source.Length} bytes.");
        }
    }

    /// <summary>Reads offsets before the source knows its superblock.</summary>
    private readonly struct Sizes(int offsets, int lengths)
    {
        public ulong Read(H5Cursor c) => c.Unsigned(offsets);

        public int Lengths => lengths;
    }
}

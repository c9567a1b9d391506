using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// Edits the schema of an uncompressed RNTuple in place — a field's structural role or type name (same length), a
/// column's type — and restores every checksum that covers the header: the header envelope's own XXH3-64, and the
/// header checksum the footer and each page list repeat, with their envelopes' XXH3-64. So the file stays valid apart
/// from the edit, and a reader must judge the schema, not a checksum. Layouts from root-project/root
/// tree/ntuple/doc/BinaryFormatSpecification.md (1.0): "Envelopes", "Frames", "Header Envelope" (field and column
/// record frames), "Footer Envelope", "Page List Envelope".
/// </summary>
internal static class NtupleHeaderPatch
{
    private const int HeaderType = 0x01;
    private const int FooterType = 0x02;
    private const int PageListType = 0x03;

    /// <summary>A top-level field of the header: where its role, type name and first column record are.</summary>
    private sealed record Field(string Name, int RoleAt, int TypeNameAt, int TypeNameLength, int Id);

    /// <summary>The edits to make; applied by <see cref="Patch"/>.</summary>
    internal sealed class Edits
    {
        internal List<(string Field, ushort Role)> Roles { get; } = [];
        internal List<(string Field, string TypeName)> TypeNames { get; } = [];
        internal List<(string Field, ushort ColumnType)> ColumnTypes { get; } = [];

        public Edits Role(string field, ushort role) { Roles.Add((field, role)); return this; }

        public Edits TypeName(string field, string typeName) { TypeNames.Add((field, typeName)); return this; }

        public Edits FirstColumnType(string field, ushort columnType) { ColumnTypes.Add((field, columnType)); return this; }
    }

    public static byte[] Patch(byte[] original, string ntuple, Edits edits)
    {
        byte[] file = (byte[])original.Clone();
        int header = FindHeader(file, ntuple);
        ulong oldChecksum = Checksum(file, header);
        (List<Field> fields, Dictionary<int, int> firstColumnAt) = ParseHeader(file, header);
        Field Top(string name) => fields.Single(f => f.Name == name);
        foreach ((string name, ushort role) in edits.Roles)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(Top(name).RoleAt), role);
        }
        foreach ((string name, string typeName) in edits.TypeNames)
        {
            Field f = Top(name);
            if (typeName.Length != f.TypeNameLength)
            {
                throw new ArgumentException($"type name '{typeName}' must have {f.TypeNameLength} characters, as the one it replaces");
            }
            Encoding.ASCII.GetBytes(typeName).CopyTo(file, f.TypeNameAt);
        }
        foreach ((string name, ushort type) in edits.ColumnTypes)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(firstColumnAt[Top(name).Id]), type);
        }
        ulong newChecksum = Seal(file, header);
        int repeated = 0;
        foreach (int at in Envelopes(file))
        {
            int type = EnvelopeType(file, at);
            int checksumAt = type == FooterType ? at + 16 : type == PageListType ? at + 8 : -1;
            if (checksumAt > 0 && BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(checksumAt)) == oldChecksum)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(checksumAt), newChecksum);
                Seal(file, at);
                repeated++;
            }
        }
        if (repeated < 2)
        {
            throw new InvalidOperationException($"found the header checksum in {repeated} footer/page-list envelopes, expected a footer and a page list (is the file uncompressed?)");
        }
        return file;
    }

    private static int EnvelopeType(byte[] file, int at) => (int)(BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at)) & 0xFFFF);

    private static int EnvelopeLength(byte[] file, int at) => (int)(BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at)) >> 16);

    private static ulong Checksum(byte[] file, int at) => BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at + EnvelopeLength(file, at) - 8));

    /// <summary>Writes the envelope's XXH3-64 (of preamble and payload) at its end; returns it.</summary>
    private static ulong Seal(byte[] file, int at)
    {
        int length = EnvelopeLength(file, at);
        ulong checksum = XxHash3.HashToUInt64(file.AsSpan(at, length - 8));
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(at + length - 8), checksum);
        return checksum;
    }

    /// <summary>Offsets of every uncompressed envelope (header, footer, page list) whose checksum holds.</summary>
    private static IEnumerable<int> Envelopes(byte[] file)
    {
        for (int at = 0; at + 16 <= file.Length; at++)
        {
            int type = EnvelopeType(file, at);
            long length = (long)(BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at)) >> 16);
            if (type is >= HeaderType and <= PageListType && length >= 24 && at + length <= file.Length
                && XxHash3.HashToUInt64(file.AsSpan(at, (int)length - 8)) == BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at + (int)length - 8)))
            {
                yield return at;
            }
        }
    }

    private static int FindHeader(byte[] file, string ntuple) =>
        Envelopes(file).Where(at => EnvelopeType(file, at) == HeaderType).Single(at => ReadString(file, at + 16, out _) == ntuple);

    private static string ReadString(byte[] file, int at, out int next)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at));
        next = at + 4 + length;
        return Encoding.UTF8.GetString(file, at + 4, length);
    }

    /// <summary>The top-level fields and, per field ID, where the field's first column record starts.</summary>
    private static (List<Field>, Dictionary<int, int>) ParseHeader(byte[] file, int header)
    {
        int at = header + 16; // preamble, feature flags (zero: one 64-bit word)
        for (int i = 0; i < 3; i++)
        {
            ReadString(file, at, out at); // name, description, writer
        }
        var fields = new List<Field>();
        int id = 0;
        foreach (int record in ListRecords(file, at, out at))
        {
            // Size (i64), field version, type version, parent ID (u32), structural role, flags (u16), name, type name, …
            // (the parts the flags announce follow the strings).
            int parent = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(record + 16));
            string name = ReadString(file, record + 24, out int typeAt);
            int typeLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(typeAt));
            if (parent == id)
            {
                fields.Add(new Field(name, record + 20, typeAt + 4, typeLength, id));
            }
            id++;
        }
        var firstColumn = new Dictionary<int, int>();
        foreach (int record in ListRecords(file, at, out _))
        {
            // Size (i64), column type, bits on storage (u16), field ID (u32), …
            firstColumn.TryAdd(BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(record + 12)), record + 8);
        }
        return (fields, firstColumn);
    }

    /// <summary>
    /// The record frames of the list frame at <paramref name="at"/> (offsets of their size fields). A list frame: its
    /// size as a negative i64, the number of items (u32), the items; a record frame: its size as a positive i64, then
    /// its fields.
    /// </summary>
    private static List<int> ListRecords(byte[] file, int at, out int next)
    {
        long size = -BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(at));
        int count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 8));
        next = at + (int)size;
        var records = new List<int>();
        for (int i = 0, p = at + 12; i < count; i++)
        {
            records.Add(p);
            p += (int)BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(p));
        }
        return records;
    }
}

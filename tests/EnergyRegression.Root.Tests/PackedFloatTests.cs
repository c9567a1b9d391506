using EnergyRegression.Root.Format;
using EnergyRegression.Root.Reading;

namespace EnergyRegression.Root.Tests;

/// <summary>
/// Double32_t / Float16_t. No file of the shared corpus has one, so the stored bytes are built by hand from
/// the encodings documented in ROOT's TBufferFile::WriteDouble32 / WriteFloat16 and the expected values
/// computed by hand.
/// </summary>
public class PackedFloatTests
{
    [Fact]
    public void A_range_stores_a_scaled_uint32()
    {
        // [0,1,12]: factor = 2^12 / (1 − 0) = 4096; 2048 → 0.5, 4095 → 0.999755859375.
        var p = PackedFloat.FromTitle("fEnergy; //[0,1,12]", isFloat16: false);
        Assert.Equal(4096, p.Factor);
        Assert.Equal(4, p.StoredBytes);
        Assert.Equal([0.5, 4095 / 4096.0, 0.0], (double[])p.Decode([0, 0, 8, 0, 0, 0, 0x0F, 0xFF, 0, 0, 0, 0]));
        Assert.Equal("Double32_t[0,1,12]", p.Describe());
    }

    [Fact]
    public void Pi_bounds_and_the_32_bit_default()
    {
        // [-pi,pi]: nbits 32, factor = (2^32 − 1) / 2π; 0 → −π.
        var p = PackedFloat.FromTitle("[-pi,pi]", isFloat16: false);
        Assert.Equal(-Math.PI, p.XMin);
        Assert.Equal(Math.PI, p.XMax);
        Assert.Equal(4294967295.0 / (2 * Math.PI), p.Factor);
        Assert.Equal(-Math.PI, ((double[])p.Decode([0, 0, 0, 0]))[0]);
        Assert.Equal(Math.PI / 2, PackedFloat.FromTitle("[0, pi/2, 8]", false).XMax);
        Assert.Equal(2 * Math.PI, PackedFloat.FromTitle("[0,twopi]", false).XMax);
    }

    [Fact]
    public void A_dimension_before_the_range_is_skipped()
    {
        var p = PackedFloat.FromTitle("fVertex[3] //[-30,30,10]", isFloat16: false);
        Assert.Equal(-30, p.XMin);
        Assert.Equal(1024 / 60.0, p.Factor);
    }

    [Fact]
    public void No_range_is_a_float32_for_Double32_and_12_mantissa_bits_for_Float16()
    {
        var d = PackedFloat.FromTitle("plain member", isFloat16: false);
        Assert.Equal(0, d.MantissaBits);
        Assert.Equal(4, d.StoredBytes);
        // 1.5f = 0x3FC00000
        Assert.Equal(1.5, ((double[])d.Decode([0x3F, 0xC0, 0, 0]))[0]);

        var f = PackedFloat.FromTitle("", isFloat16: true);
        Assert.Equal(12, f.MantissaBits);
        Assert.Equal(3, f.StoredBytes);
    }

    [Fact]
    public void Zero_range_with_nbits_truncates_the_mantissa()
    {
        // [0,0,6]: 1.5f = exponent 127, mantissa 0.5 (top bit). WriteDouble32 stores the exponent byte 0x7F
        // and the mantissa rounded to 6 bits = 0b100000 = 0x20; the sign goes to bit 7 (0x80).
        var p = PackedFloat.FromTitle("[0,0,6]", isFloat16: false);
        Assert.Equal(6, p.MantissaBits);
        Assert.Equal(3, p.StoredBytes);
        Assert.Equal([1.5, -1.5], (double[])p.Decode([0x7F, 0x00, 0x20, 0x7F, 0x00, 0xA0]));
        // 0.75f = exponent 126, mantissa 0.5 as well.
        Assert.Equal(0.75f, ((float[])PackedFloat.FromTitle("[0,0,6]", isFloat16: true).Decode([0x7E, 0x00, 0x20]))[0]);
    }

    [Fact]
    public void Float16_with_a_range_rounds_to_float32()
    {
        // [-1,1,2]: factor = 4 / 2 = 2; stored 3 → 3 / 2 − 1 = 0.5.
        var p = PackedFloat.FromTitle("fCharge //[-1,1,2]", isFloat16: true);
        Assert.Equal(new[] { 0.5f, -1f }, (float[])p.Decode([0, 0, 0, 3, 0, 0, 0, 0]));
    }

    [Fact]
    public void Illegal_nbits_fall_back_to_32()
    {
        Assert.Equal(4294967295.0 / 10, PackedFloat.FromTitle("[0,10,40]", false).Factor);
        Assert.Equal(4294967295.0 / 10, PackedFloat.FromTitle("[0,10,1]", false).Factor);
    }

    [Fact]
    public void A_TLeafD32_leaf_is_read_through_the_branch()
    {
        // A flat branch "x/d[0,1,12]" with 3 entries in a basket stored inside the TBranch.
        var leaf = new LeafModel { ClassName = "TLeafD32", Name = "x", Title = "x/d[0,1,12]", Len = 1, LenType = 8 };
        var branch = new BranchModel { ClassName = "TBranch", Name = "x", Title = "x/d[0,1,12]", Entries = 3 };
        branch.Leaves.Add(leaf);
        branch.Embedded.Add(new EmbeddedBasket { KeyLen = 0, Entries = 3, Data = [0, 0, 8, 0, 0, 0, 4, 0, 0, 0, 0x0F, 0xFF] });
        var model = new TreeModel { Name = "t", Title = "", Entries = 3, Version = 20, Branches = [branch] };
        using var f = RootFile.Open(File.ReadAllBytes(TestData.PathOf("uproot-empty.root")), "synthetic.root");
        RootBranch x = new RootTree(f, model).GetBranch("x");
        Assert.True(x.IsReadable, x.UnsupportedReason);
        Assert.Equal("Double32_t[0,1,12]", x.TypeName);
        Assert.Equal(typeof(double), x.ElementType);
        Assert.Equal([0.5, 0.25, 4095 / 4096.0], x.Read(0, 3).As<double>());
        Assert.Equal([0.25], x.Read(1, 2).As<double>());
    }
}

namespace EnergyRegression.Kernels.Tests;

/// <summary>Crops on windows and hit lists whose answers are written down by hand.</summary>
public class WindowCropTests
{
    [Fact]
    public void A_crop_puts_the_seed_at_the_centre_and_pads_beyond_the_source_with_zeros()
    {
        // 4 × 4 source numbered 1..16, seed at (0, 3) — a corner, like a seed on the last barrel ring.
        float[] source = [.. Enumerable.Range(1, 16).Select(i => (float)i)];
        float[] crop = new float[9];
        WindowCrop.FromWindows(source, 4, 4, [3], crop, 3, 3);
        Assert.Equal([0, 0, 0, /**/ 3, 4, 0, /**/ 7, 8, 0], crop);
    }

    [Fact]
    public void With_wrapping_columns_the_crop_continues_on_the_other_side_of_the_ring()
    {
        float[] source = [.. Enumerable.Range(1, 16).Select(i => (float)i)];
        float[] crop = new float[9];
        WindowCrop.FromWindows(source, 4, 4, [7], crop, 3, 3, wrapColumns: true);  // seed (1, 3): right of it is column 0
        Assert.Equal([3, 4, 1, /**/ 7, 8, 5, /**/ 11, 12, 9], crop);
        float[] reference = new float[9];
        WindowCrop.FromWindowsReference(source, 4, 4, [7], reference, 3, 3, wrapColumns: true);
        Assert.Equal(reference, crop);
    }

    [Fact]
    public void A_crop_wider_than_a_wrapping_ring_repeats_it()
    {
        float[] crop = new float[7];
        WindowCrop.FromWindows([1f, 2f, 3f], 1, 3, [0], crop, 1, 7, wrapColumns: true);
        Assert.Equal([1, 2, 3, 1, 2, 3, 1], crop); // the seed (1) at column 3 of 7, columns −3…3 modulo 3
    }

    [Fact]
    public void Even_crops_put_the_seed_at_size_over_two()
    {
        float[] source = new float[25];
        source[12] = 9; // the centre of 5 × 5
        float[] crop = new float[16];
        WindowCrop.FromWindows(source, 5, 5, [12], crop, 4, 4);
        Assert.Equal(9f, crop[2 * 4 + 2]);
        Assert.Equal(9f, crop.Sum());
    }

    [Fact]
    public void Hits_across_the_phi_seam_and_the_missing_ieta_zero_land_next_to_the_seed()
    {
        // Seed at (iη = 1, iφ = 360); neighbours at iφ = 1 (+φ, wrap), iφ = 359 (−φ), iη = −1 (−η: no 0 in
        // the barrel), iη = 2 (+η); a far hit outside the crop and two hits on one crystal that add up.
        int[] iEta = [1, 1, 1, -1, 2, 40, 2];
        int[] iPhi = [360, 1, 359, 360, 360, 100, 360];
        float[] energy = [10, 2, 3, 4, 0.5f, 7, 0.25f];
        float[] crop = new float[9];
        WindowCrop.FromHits(iEta, iPhi, energy, [new HitCrop(0, 7, 1, 360)], crop, 3, 3, HitGrid.CmsBarrel);
        Assert.Equal([0, 4, 0, /**/ 3, 10, 2, /**/ 0, 0.75f, 0], crop);
        float[] reference = new float[9];
        WindowCrop.FromHitsReference(iEta, iPhi, energy, [new HitCrop(0, 7, 1, 360)], reference, 3, 3, HitGrid.CmsBarrel);
        Assert.Equal(crop, reference);
    }

    [Fact]
    public void A_seed_on_the_last_barrel_ring_has_zeros_beyond_the_edge()
    {
        float[] crop = new float[25];
        WindowCrop.FromHits([85, 84, 83], [10, 10, 10], [5f, 1f, 0.5f], [new HitCrop(0, 3, 85, 10)], crop, 5, 5, HitGrid.CmsBarrel);
        // Rows 3 and 4 (iη 86, 87) do not exist: zero. Rows 1, 0 hold iη 84, 83.
        Assert.Equal(0.5f, crop[0 * 5 + 2]);
        Assert.Equal(1f, crop[1 * 5 + 2]);
        Assert.Equal(5f, crop[2 * 5 + 2]);
        Assert.Equal(6.5f, crop.Sum());
    }

    [Fact]
    public void Hits_from_a_full_barrel_image_crop_like_the_image_itself()
    {
        // The whole barrel as an image (170 rows = iη −85…−1, 1…85; 360 columns = iφ 1…360) and the same
        // crystals as a hit list: both crops agree for seeds at the φ seam and at the barrel edges.
        var random = new Random(3);
        float[] barrel = new float[170 * 360];
        var iEta = new List<int>();
        var iPhi = new List<int>();
        var energy = new List<float>();
        for (int row = 0; row < 170; row++)
        {
            for (int column = 0; column < 360; column++)
            {
                if (random.Next(4) == 0)
                {
                    float e = (float)random.NextDouble();
                    barrel[row * 360 + column] = e;
                    iEta.Add(row < 85 ? row - 85 : row - 84);
                    iPhi.Add(column + 1);
                    energy.Add(e);
                }
            }
        }
        (int Row, int Column)[] seeds = [(0, 0), (169, 359), (84, 359), (85, 0), (100, 180)];
        foreach ((int row, int column) in seeds)
        {
            float[] fromImage = new float[28 * 28];
            WindowCrop.FromWindows(barrel, 170, 360, [row * 360 + column], fromImage, 28, 28, wrapColumns: true);
            float[] fromHits = new float[28 * 28];
            var request = new HitCrop(0, energy.Count, row < 85 ? row - 85 : row - 84, column + 1);
            WindowCrop.FromHits([.. iEta], [.. iPhi], [.. energy], [request], fromHits, 28, 28, HitGrid.CmsBarrel);
            Assert.Equal(fromImage, fromHits);
        }
    }

    [Fact]
    public void Mismatched_buffers_and_seeds_outside_the_window_are_refused()
    {
        Assert.Throws<ArgumentException>(() => WindowCrop.FromWindows(new float[24], 5, 5, [0], new float[9], 3, 3));
        Assert.Throws<ArgumentException>(() => WindowCrop.FromWindows(new float[25], 5, 5, [0], new float[8], 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowCrop.FromWindows(new float[25], 5, 5, [25], new float[9], 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            WindowCrop.FromHits([1], [1], [1f], [new HitCrop(0, 2, 1, 1)], new float[9], 3, 3, HitGrid.CmsBarrel));
        Assert.Throws<ArgumentException>(() =>
            WindowCrop.FromHits([1, 2], [1], [1f], [new HitCrop(0, 1, 1, 1)], new float[9], 3, 3, HitGrid.CmsBarrel));
    }
}

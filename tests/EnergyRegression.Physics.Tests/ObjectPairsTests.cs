namespace EnergyRegression.Physics.Tests;

public sealed class ObjectPairsTests
{
    [Fact]
    public void The_leading_opposite_charge_pair_of_each_event_is_chosen()
    {
        // Event 0: −, −, + → (0, 2): the leading electron with the first positron after it.
        // Event 1: one object → no pair. Event 2: +, +, − , − → (4, 6). Event 3: −, − → no opposite pair.
        // Event 4: +, − → (10, 11).
        long[] events = [0, 0, 0, 1, 2, 2, 2, 2, 3, 3, 4, 4];
        double[] charge = [-1, -1, 1, 1, 1, 1, -1, -1, -1, -1, 1, -1];
        Assert.Equal([(0, 2), (4, 6), (10, 11)], ObjectPairs.LeadingPerEvent(events, charge));
    }

    [Fact]
    public void Without_charges_the_first_two_objects_pair()
    {
        long[] events = [7, 7, 7, 8, 9, 9];
        double[] charge = [double.NaN, double.NaN, double.NaN, double.NaN, 1, double.NaN];
        Assert.Equal([(0, 1), (4, 5)], ObjectPairs.LeadingPerEvent(events, charge));
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ObjectPairs.LeadingPerEvent(new long[3], new double[2]));
    }

    [Fact]
    public void Pair_categories_join_the_labels_in_their_order_whatever_the_objects_order()
    {
        string[] labels = ["EB", "EE", "ES"];
        Assert.Equal(["EB–EB", "EB–EE", "EB–ES", "EE–EE", "EE–ES", "ES–ES"], PairCategories.Labels(labels));
        string[] pairs = PairCategories.Labels(labels);
        Assert.Equal("EB–EB", pairs[PairCategories.Of(0, 0, 3)]);
        Assert.Equal("EB–EE", pairs[PairCategories.Of(1, 0, 3)]);
        Assert.Equal("EB–EE", pairs[PairCategories.Of(0, 1, 3)]);
        Assert.Equal("EE–ES", pairs[PairCategories.Of(2, 1, 3)]);
        Assert.Equal("ES–ES", pairs[PairCategories.Of(2, 2, 3)]);
        // An object in no category: the pair is in none.
        Assert.Equal(-1, PairCategories.Of(-1, 0, 3));
        Assert.Equal(-1, PairCategories.Of(1, -1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairCategories.Of(0, 3, 3));
        Assert.Equal(["high R9–high R9", "high R9–low R9", "low R9–low R9"], PairCategories.Labels(["high R9", "low R9"]));
    }
}

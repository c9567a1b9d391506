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
}

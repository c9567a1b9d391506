namespace MyPlugin;

/// <summary>
/// The trained numbers: y = bias + Σ weights[j] · (x[j] − means[j]) / deviations[j], y estimating E_true / E_raw. Stored as
/// the archive entry <c>linear.json</c> and, while training, as the checkpoint beside the model file (with the epoch).
/// </summary>
public sealed record LinearModel(string[] Inputs, double[] Means, double[] Deviations, double[] Weights, double Bias, int Epoch)
{
    /// <summary>The prediction for one row of inputs.</summary>
    public double Predict(ReadOnlySpan<float> row)
    {
        double y = Bias;
        for (int j = 0; j < Weights.Length; j++)
        {
            y += Weights[j] * (row[j] - Means[j]) / Deviations[j];
        }
        return y;
    }
}

using System.Runtime.InteropServices;

namespace EnergyRegression.Plugins.Regressors.Gbdt.Training;

/// <summary>
/// The few functions of LightGBM's C API (include/LightGBM/c_api.h, LightGBM 4.6, the lib_lightgbm that the LightGBM
/// NuGet package ships beside ML.NET's wrapper) that training with the project's own objectives needs: a dataset from a
/// row-major float matrix, fields (init_score), a booster, one boosting round with our gradients and hessians, the
/// current scores, feature importance and the JSON dump of the trees. Every call returns 0 on success; any other value
/// is turned into an exception with LightGBM's own message (<see cref="Check"/>).
/// </summary>
internal static unsafe partial class LightGbmNative
{
    private const string Library = "lib_lightgbm";

    /// <summary>C_API_DTYPE_FLOAT32 / C_API_DTYPE_FLOAT64 of c_api.h.</summary>
    public const int Float32 = 0, Float64 = 1;

    /// <summary>C_API_FEATURE_IMPORTANCE_GAIN.</summary>
    public const int ImportanceGain = 1;

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    private static partial IntPtr GetLastError();

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetCreateFromMat(float* data, int dataType, int rows, int columns, int rowMajor, string parameters, IntPtr reference, out IntPtr dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetSetField(IntPtr dataset, string field, void* data, int count, int type);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    public static partial int DatasetFree(IntPtr dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterCreate(IntPtr training, string parameters, out IntPtr booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterAddValidData")]
    public static partial int BoosterAddValidData(IntPtr booster, IntPtr validation);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIterCustom")]
    public static partial int BoosterUpdateOneIterCustom(IntPtr booster, float* gradients, float* hessians, out int finished);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetPredict")]
    public static partial int BoosterGetPredict(IntPtr booster, int dataIndex, out long length, double* scores);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFeatureImportance")]
    public static partial int BoosterFeatureImportance(IntPtr booster, int iterations, int type, double* importance);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterDumpModel")]
    public static partial int BoosterDumpModel(IntPtr booster, int startIteration, int iterations, int importanceType, long bufferLength, out long length, byte* json);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    public static partial int BoosterFree(IntPtr booster);

    /// <summary>Throws with LightGBM's last error message when <paramref name="status"/> is not 0.</summary>
    public static void Check(int status, string call)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"LightGBM {call} failed: {Marshal.PtrToStringUTF8(GetLastError())}");
        }
    }

    /// <summary>The booster's trees, iterations 0 … <paramref name="iterations"/> − 1, as LightGBM's JSON dump.</summary>
    public static string DumpModel(IntPtr booster, int iterations)
    {
        Check(BoosterDumpModel(booster, 0, iterations, ImportanceGain, 0, out long length, null), "dump (size)");
        byte[] buffer = new byte[length];
        fixed (byte* json = buffer)
        {
            Check(BoosterDumpModel(booster, 0, iterations, ImportanceGain, length, out _, json), "dump");
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)Math.Max(0, length - 1));
    }
}

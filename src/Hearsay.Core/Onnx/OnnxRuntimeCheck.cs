using Microsoft.ML.OnnxRuntime;

namespace Hearsay.Core.Onnx;

/// <summary>Whether ONNX Runtime's native library loads here: a bundle that left it out fails on the first model, far from the cause.</summary>
public static class OnnxRuntimeCheck
{
    /// <summary>Loads the native library and asks it for its version.</summary>
    /// <param name="version">ONNX Runtime's version when it loaded.</param>
    /// <param name="problem">Why it did not load, with what to do, when it did not.</param>
    /// <returns>True when it loaded.</returns>
    public static bool TryLoad(out string? version, out string? problem)
    {
        try
        {
            version = OrtEnv.Instance().GetVersionString();
            problem = null;
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            version = null;
            problem = $"ONNX Runtime's native library did not load ({e.GetBaseException().Message}); it must sit next to hearsay " +
                      "(libonnxruntime.so, libonnxruntime.dylib or onnxruntime.dll, as eng/publish.sh lays it out), so no model can run.";
            return false;
        }
    }
}

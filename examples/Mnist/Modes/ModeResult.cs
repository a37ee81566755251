using Framework.Training;

namespace Mnist.Modes;

/// <summary>What a mode reports: success (the process exits 0) or failure (exits 1), a one-line summary, and the trained model.</summary>
/// <param name="Succeeded">Whether the scenario did what it demonstrates (for example, a reload predicted identically).</param>
/// <param name="Summary">One line for the console.</param>
/// <param name="Model">The model at the end, or null when the run was interrupted on purpose.</param>
public sealed record ModeResult(bool Succeeded, string Summary, Model? Model = null);

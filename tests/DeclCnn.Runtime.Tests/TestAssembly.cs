using Xunit;

// TorchSharp's random generator (manual_seed) and thread pool are process-wide: tests that seed
// it would see each other's draws if they ran in parallel.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

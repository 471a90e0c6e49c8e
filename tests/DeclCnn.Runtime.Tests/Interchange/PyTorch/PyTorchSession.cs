using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeclCnn.Runtime.Tests.Interchange.PyTorch;

/// <summary>
/// One Python process with PyTorch that runs the generated PyTorch sources (run_modules.py), one JSON request per line:
/// importing torch takes seconds, so a test class starts one and sends it every network.
/// </summary>
internal sealed class PyTorchSession : IDisposable
{
    /// <summary>Debian's interpreter, where <c>apt-get install python3-torch</c> puts PyTorch (the <c>python3</c> first on PATH may be another).</summary>
    public const string DebianPython = "/usr/bin/python3";

    public const string InstallAdvice = "install Debian's PyTorch with `sudo apt-get install python3-torch` (docs/scale-out.md)";

    private readonly Process process;
    private readonly StringBuilder errors;

    private PyTorchSession(Process process, StringBuilder errors, string torchVersion)
    {
        this.process = process;
        this.errors = errors;
        TorchVersion = torchVersion;
    }

    /// <summary>PyTorch's version in the session.</summary>
    public string TorchVersion { get; }

    public static string Script => Path.Combine(AppContext.BaseDirectory, "Interchange", "PyTorch", "run_modules.py");

    /// <summary>
    /// Starts the script under <paramref name="interpreter"/> (with <paramref name="options"/> before the script); a
    /// missing interpreter or a missing PyTorch is an error that says what to install, never a skipped test.
    /// </summary>
    public static PyTorchSession Start(string interpreter = DebianPython, params string[] options)
    {
        if (!File.Exists(interpreter))
        {
            throw new InvalidOperationException($"The PyTorch tests need Python 3 at {interpreter}, which does not exist: {InstallAdvice}.");
        }

        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string option in options)
        {
            start.ArgumentList.Add(option);
        }

        start.ArgumentList.Add(Script);
        var process = Process.Start(start)!;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        string? first = process.StandardOutput.ReadLine();
        JsonObject? hello = first is null ? null : JsonNode.Parse(first)?.AsObject();
        if (hello?["torch"]?.GetValue<string>() is not { } version)
        {
            process.WaitForExit();
            string reason;
            lock (errors)
            {
                reason = hello?["missing"] is not null ? "cannot import torch" : $"did not start: {errors}";
            }

            process.Dispose();
            throw new InvalidOperationException($"The PyTorch tests need PyTorch for {interpreter}, which {reason}: {InstallAdvice}.");
        }

        return new PyTorchSession(process, errors, version);
    }

    /// <summary>Sends one request and returns the answer; a failed request throws with Python's traceback.</summary>
    public JsonObject Send(object request)
    {
        process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        process.StandardInput.Flush();
        string? line = process.StandardOutput.ReadLine();
        if (line is null)
        {
            lock (errors)
            {
                throw new InvalidOperationException($"Python exited: {errors}");
            }
        }

        JsonObject answer = JsonNode.Parse(line)!.AsObject();
        return answer["error"] is { } error ? throw new InvalidOperationException($"PyTorch failed:\n{error.GetValue<string>()}") : answer;
    }

    public void Dispose()
    {
        process.StandardInput.Close();
        process.WaitForExit();
        process.Dispose();
    }
}

using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Reflection;

namespace DeclCnn.App;

/// <summary>
/// The command line of a project's declared networks: <c>list</c>, <c>summary</c>, <c>train</c>, <c>compare</c>,
/// <c>evaluate</c>, <c>export</c>, <c>predict</c> and <c>images</c>, built on System.CommandLine (help, errors that name the option, tab completion through
/// <c>dotnet-suggest</c>). A console app needs one line: <c>return DeclCnnApp.Run(args);</c>.
/// </summary>
public sealed class DeclCnnApp
{
    private readonly IReadOnlyList<DeclaredNetwork> networks;

    /// <summary>
    /// An app for the networks declared in <paramref name="assemblies"/>; none given means the entry assembly and the
    /// assemblies it references that reference DeclCnn (a library of declarations, like the samples).
    /// </summary>
    public DeclCnnApp(params Assembly[] assemblies)
    {
        networks = DeclaredNetwork.FindIn(assemblies.Length > 0 ? assemblies : DefaultAssemblies());
    }

    /// <summary>The declared networks the commands know, by name.</summary>
    public IReadOnlyList<DeclaredNetwork> Networks => networks;

    /// <summary>Named training runs for <c>train --preset NAME</c>.</summary>
    public IList<TrainingPreset> Presets { get; } = new List<TrainingPreset>();

    /// <summary>Named comparisons for <c>compare --preset NAME</c>.</summary>
    public IList<ComparisonPreset> Comparisons { get; } = new List<ComparisonPreset>();

    /// <summary>The preset trained when the app runs without arguments; null shows the help instead.</summary>
    public string? DefaultPreset { get; init; }

    /// <summary>Runs the command line for the networks of the entry assembly and the declaration libraries it references.</summary>
    /// <param name="args">The arguments of <c>Main</c>.</param>
    /// <returns>The process exit code: 0 on success, 1 on a failed command, 2 on a command line that does not parse.</returns>
    public static int Run(string[] args) => new DeclCnnApp().Invoke(args);

    /// <summary>Parses <paramref name="args"/> and runs the command; output and errors go to the given writers (the console by default).</summary>
    public int Invoke(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        error ??= Console.Error;
        if (args.Length == 0 && DefaultPreset is not null)
        {
            args = ["train", "--preset", DefaultPreset];
        }

        var context = new CommandContext(this, output, error);
        var root = new RootCommand("Commands for the DeclCnn networks declared in this project.")
        {
            Commands.List(context),
            Commands.Summary(context),
            Commands.Train(context),
            Commands.Compare(context),
            Commands.Evaluate(context),
            Commands.Export(context),
            Commands.Predict(context),
            Commands.Images(context),
        };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine(parseError.Message);
            }

            error.WriteLine("Run with --help for the commands and their options.");
            return 2;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The network named <paramref name="name"/> (ignoring case).</summary>
    internal DeclaredNetwork? FindNetwork(string name) =>
        networks.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Assembly> DefaultAssemblies()
    {
        Assembly entry = Assembly.GetEntryAssembly() ?? throw new InvalidOperationException("No entry assembly: pass the assemblies that declare the networks.");
        yield return entry;
        foreach (AssemblyName name in entry.GetReferencedAssemblies())
        {
            Assembly referenced = Assembly.Load(name);
            if (referenced.GetReferencedAssemblies().Any(static r => r.Name == typeof(InputAttribute).Assembly.GetName().Name))
            {
                yield return referenced;
            }
        }
    }
}

/// <summary>What every command needs: the app's networks and presets, and where to write.</summary>
internal sealed record CommandContext(DeclCnnApp App, TextWriter Output, TextWriter Error);

// The networks declared in this project get a command line: `dotnet run -- list`, `summary Net`,
// `train Net --epochs 5`, `compare Net OtherNet --seeds 0,1,2`, `evaluate`, `export`, `predict`; `--help` tells more.
return DeclCnn.App.DeclCnnApp.Run(args);

using CloudAssembly.Cli;

return await CliCommands.Root().Parse(args).InvokeAsync();

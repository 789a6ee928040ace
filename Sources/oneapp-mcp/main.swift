CommandLineEntry.run(CommandLine.arguments)

return Harness.Cli.HarnessCli.Run(args, Console.Out, Console.Error);

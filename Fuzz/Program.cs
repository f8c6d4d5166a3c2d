return Harness.Fuzz.FuzzMain.Run(args, Console.Out, Console.Error);

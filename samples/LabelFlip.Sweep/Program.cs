using LabelFlip.Sweep;

// The main job as a program of its own (labelflip-sweep); the labelflip tool runs the same command as `labelflip sweep`.
return SweepCommand.Run(args, ProgramNames.Standalone);

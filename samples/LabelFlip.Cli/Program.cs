using LabelFlip.Cli;

// labelflip COMMAND [options]: one installed command for the sweep, its merge, Slurm scripts and sigmoid fits.
return Subcommands.Run(args);

using System.Globalization;
using System.Text;

namespace LabelFlip.Cli.Slurm;

/// <summary>
/// The two batch scripts of a sharded sweep on Slurm: an array job whose task T runs shard T + 1 of N (shards count
/// from 1, array indices from 0), and a merge job submitted with <c>--dependency=afterok:ARRAY_JOB_ID</c>.
/// </summary>
internal static class SlurmScripts
{
    /// <summary>The array job's file name inside the output folder.</summary>
    public const string ArrayFileName = "sweep-array.sbatch";

    /// <summary>The merge job's file name inside the output folder.</summary>
    public const string MergeFileName = "sweep-merge.sbatch";

    /// <summary>The array job: one task per shard, requeued on preemption or node failure.</summary>
    public static string Array(SlurmJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"""
            #!/bin/bash
            # Written by `labelflip slurm`: the sweep {job.ConfigPath} in {job.Shards} shards, one array task each.
            # Task T runs shard T+1 of {job.Shards} into {job.OutputDirectory}/shard-(T+1). A shard resumes from its run log,
            # so a requeued or preempted task picks up where it stopped, and a task run again after it finished redoes nothing.
            #SBATCH --job-name=labelflip-sweep
            #SBATCH --array=0-{job.Shards - 1}{(job.MaxConcurrent is int m ? $"%{m}" : "")}
            #SBATCH --requeue
            #SBATCH --open-mode=append
            #SBATCH --output={job.LogDirectory}/sweep-%A_%a.out

            """);
        AppendResources(script, job);
        if (job.CpusPerTask is int cpus)
            script.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={cpus}\n");
        script.Append(CultureInfo.InvariantCulture, $$"""
            set -euo pipefail
            shard=$((SLURM_ARRAY_TASK_ID + 1))
            # As many threads as CPUs allotted (Slurm's default is one); the results do not depend on it.
            exec {{job.Command}} sweep --config {{Quote(job.ConfigPath)}} --shard "$shard/{{job.Shards}}" --out {{Quote(job.OutputDirectory)}}/shard-"$shard" --threads "${SLURM_CPUS_PER_TASK:-1}"

            """);
        return script.ToString();
    }

    /// <summary>The merge job: all N shard folders into the output folder; fails, naming it, if one holds no run log.</summary>
    public static string Merge(SlurmJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"""
            #!/bin/bash
            # Written by `labelflip slurm`: merges the {job.Shards} shards of {job.ConfigPath} into {job.OutputDirectory}.
            # Submit it with --dependency=afterok:ARRAY_JOB_ID so that it starts once every shard has finished.
            #SBATCH --job-name=labelflip-merge
            #SBATCH --requeue
            #SBATCH --open-mode=append
            #SBATCH --output={job.LogDirectory}/merge-%j.out

            """);
        AppendResources(script, job);
        script.Append(CultureInfo.InvariantCulture, $$"""
            set -euo pipefail
            out={{Quote(job.OutputDirectory)}}
            # Every shard by name, in order: a missing one is an error, not a smaller result.
            shards=()
            for ((i = 1; i <= {{job.Shards}}; i++)); do shards+=("$out/shard-$i"); done
            exec {{job.Command}} merge "${shards[@]}" --out "$out"

            """);
        return script.ToString();
    }

    /// <summary>Shell lines that submit both scripts, the merge held until the whole array has succeeded.</summary>
    public static string Submission(SlurmJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        string array = Quote(Path.Combine(job.OutputDirectory, ArrayFileName));
        string merge = Quote(Path.Combine(job.OutputDirectory, MergeFileName));
        // --parsable prints "JOBID" or "JOBID;CLUSTER".
        return $$"""
            array=$(sbatch --parsable {{array}})
            sbatch --dependency=afterok:"${array%%;*}" {{merge}}
            """;
    }

    /// <summary><paramref name="text"/> as one shell word: single-quoted, with each ' written as '\''.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "'" + text.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    private static void AppendResources(StringBuilder script, SlurmJob job)
    {
        if (job.Partition is not null)
            script.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={job.Partition}\n");
        if (job.Time is not null)
            script.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={job.Time}\n");
    }
}

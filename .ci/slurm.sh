#!/usr/bin/env bash
# CI: a sharded sweep through a real Slurm on this machine. Installs Debian's slurm-wlm, starts a one-node cluster on
# loopback (controller and node daemon, no munge: auth/none), writes the scripts with `labelflip slurm`, submits
# them as their printed instructions say (a 4-task array, then the merge held by afterok), and requires the merged
# results.json to be byte-identical to a single-process `labelflip sweep` of the same config.
#
# Usage: bash .ci/slurm.sh [LABELFLIP]   (from the repository root)
#   LABELFLIP: the installed tool's executable; without it, LabelFlip.Cli is installed from ./artifacts (packed first
#   if absent) into a temporary tool path.
# Skips (exit 0) only when slurm-wlm is not installed and cannot be. Leaves nothing behind: the daemons are shut down
# and the temporary folder removed on every exit path.
set -euo pipefail
# The tool's path as given, before leaving the caller's folder.
given=${1:+$(readlink -f "$1")}
cd "$(dirname "$0")/.."
repo=$PWD
started=$SECONDS

# The whole test, daemons included, must finish within this many seconds.
limit=${SLURM_TEST_LIMIT:-110}

say() { echo "slurm.sh: $*"; }
die() { echo "slurm.sh: $*" >&2; exit 1; }

if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null || ! command -v sbatch > /dev/null; then
  say "installing slurm-wlm"
  if ! { [[ $(id -u) == 0 ]] &&
         DEBIAN_FRONTEND=noninteractive apt-get update -qq > /dev/null &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm > /dev/null; }; then
    say "SKIPPED: the slurm-wlm package cannot be installed on this machine (needs root and apt-get with a Debian or Ubuntu archive)"
    exit 0
  fi
fi
say "$(slurmctld -V)"

work=$(mktemp -d /tmp/labelflip-slurm.XXXXXX)
pids=()
cleanup() {
  local code=$?
  set +e
  if [[ ${#pids[@]} -gt 0 ]]; then
    # Our jobs first (their step daemons are children of slurmd), then the daemons: politely, then for sure.
    if [[ ${#jobs_submitted[@]} -gt 0 ]]; then
      timeout 10 scancel --quiet --full "${jobs_submitted[@]}" 2> /dev/null
      for _ in $(seq 50); do
        [[ -z $(squeue --noheader --jobs "$(IFS=,; echo "${jobs_submitted[*]}")" 2> /dev/null) ]] && break
        sleep 0.1
      done
    fi
    timeout 10 scontrol shutdown > /dev/null 2>&1
    for _ in $(seq 50); do
      kill -0 "${pids[@]}" 2> /dev/null || break
      sleep 0.1
    done
    kill -9 "${pids[@]}" 2> /dev/null
    wait "${pids[@]}" 2> /dev/null
  fi
  if [[ $code != 0 && -d $work ]]; then
    for log in "$work"/state/*.log "$work"/out/logs/*; do
      [[ -f $log ]] && { echo "--- $log" >&2; tail -20 "$log" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$code"
}
jobs_submitted=()
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The tool: as given, or installed from ./artifacts into a tool path of our own.
if [[ -n $given ]]; then
  labelflip=$given
  [[ -f $labelflip && -x $labelflip ]] || die "'$1' is not an executable"
else
  version=$(dotnet msbuild samples/LabelFlip.Cli/LabelFlip.Cli.csproj -getProperty:Version)
  ls artifacts/LabelFlip.Cli."$version".nupkg > /dev/null 2>&1 ||
    dotnet pack samples/LabelFlip.Cli -c Release -o artifacts > /dev/null
  NUGET_PACKAGES=$work/packages dotnet tool install LabelFlip.Cli --tool-path "$work/tool" --add-source artifacts \
    --version "$version" > /dev/null
  labelflip=$work/tool/labelflip
fi
# The jobs inherit this environment (sbatch's default --export=ALL): let the tool find the runtime it ran on here.
if [[ -z ${DOTNET_ROOT:-} ]] && command -v dotnet > /dev/null; then
  export DOTNET_ROOT
  DOTNET_ROOT=$(dirname "$(readlink -f "$(command -v dotnet)")")
fi
say "tool: $labelflip ($("$labelflip" --version))"

# Two free TCP ports for the controller and the node daemon, so that nothing else listening here gets in the way.
free_port() {
  local port
  for port in $(seq "$1" "$2"); do
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null || { echo "$port"; return; }
  done
  die "no free port in $1-$2"
}
ctld_port=$(free_port 16817 16867)
slurmd_port=$(free_port $((ctld_port + 1)) 16917)

# One node, this machine, with the CPUs and memory slurmd itself finds; everything on loopback, state in $work.
node=$(hostname -s)
hardware=$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]* //')
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" <<EOF
ClusterName=labelflip-ci
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# A merge whose array failed is cancelled instead of waiting forever.
DependencyParameters=kill_invalid_depend
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/state/slurmctld.pid
SlurmdPidFile=$work/state/slurmd.pid
SlurmctldLogFile=$work/state/slurmctld.log
SlurmdLogFile=$work/state/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$node NodeAddr=127.0.0.1 $hardware State=UNKNOWN
PartitionName=ci Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

# -i: ignore state a previous controller saved (there is none in a fresh folder; this makes it explicit).
slurmctld -D -i -f "$SLURM_CONF" > "$work/state/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N "$node" -f "$SLURM_CONF" > "$work/state/slurmd.out" 2>&1 &
pids+=($!)

state=""
for _ in $(seq 300); do
  (( SECONDS - started < limit )) || die "the node did not come up within ${limit} s (state: ${state:-unknown})"
  kill -0 "${pids[@]}" 2> /dev/null || die "a Slurm daemon exited at start"
  state=$(scontrol show node "$node" 2> /dev/null | sed -n 's/.*State=\([^ ]*\).*/\1/p' | head -1)
  [[ $state == IDLE* ]] && break
  sleep 0.2
done
[[ $state == IDLE* ]] || die "node $node is '$state', not IDLE"
say "node $node is $state after $((SECONDS - started)) s"

# A small sweep: 10 runs of 5 epochs, enough for a fit.
cat > "$work/sweep.json" <<'EOF'
{
  "base": { "training": { "epochs": 5 }, "streams": "ours" },
  "axes": {
    "model.hidden_widths": [[16]],
    "poison.fraction": [0, 0.1, 0.2, 0.3, 0.5],
    "seed": [1, 2]
  }
}
EOF

# From another folder, so that nothing depends on the repository being the working directory.
cd "$work"
"$labelflip" slurm --config sweep.json --shards 4 --max-concurrent 2 --time 5 --out out > slurm.txt
cat slurm.txt
# Submit exactly as the printed instructions say.
submission=$(grep -E '^(array=|sbatch )' slurm.txt)
[[ $(wc -l <<< "$submission") == 2 ]] || die "labelflip slurm did not print the two submission lines"
array=""
eval "$submission" > submitted.txt
array=${array%%;*}
merge=$(sed -n 's/^Submitted batch job \([0-9]*\).*/\1/p' submitted.txt)
[[ -n $array && -n $merge ]] || die "the jobs were not submitted: array '$array', merge: $(cat submitted.txt)"
jobs_submitted=("$array" "$merge")
say "submitted array job $array (4 tasks) and merge job $merge"

# Every task and the merge must end COMPLETED; any other end state fails the test at once.
job_states() { scontrol show job "$1" 2> /dev/null | sed -n 's/.*JobState=\([^ ]*\).*/\1/p'; }
while :; do
  (( SECONDS - started < limit )) || die "the jobs did not finish within ${limit} s; array: $(job_states "$array" | tr '\n' ' '); merge: $(job_states "$merge")"
  kill -0 "${pids[@]}" 2> /dev/null || die "a Slurm daemon died"
  states=$(job_states "$array"; job_states "$merge")
  if grep -qvE '^(PENDING|CONFIGURING|RUNNING|COMPLETING|COMPLETED|REQUEUED|RESIZING|SUSPENDED)$' <<< "$states"; then
    die "a job failed: $(tr '\n' ' ' <<< "$states")"
  fi
  [[ $(job_states "$merge") == COMPLETED ]] && break
  sleep 0.5
done
say "array and merge COMPLETED after $((SECONDS - started)) s; task states: $(job_states "$array" | sort | uniq -c | tr -s ' \n' ' ')"

for i in 1 2 3 4; do
  [[ -s out/shard-$i/runs.jsonl ]] || die "shard $i wrote no run log"
done

# A requeued task (as after preemption or a node failure) runs its shard again: it must resume from the run log,
# redo nothing and end COMPLETED, leaving the log as it was.
cp out/shard-1/runs.jsonl shard-1-before.jsonl
scontrol requeue "${array}_0"
# Slurm holds a requeued job back (its BeginTime moves ahead); a test need not wait for that.
scontrol update JobId="${array}_0" StartTime=now
# Wait until the task has run a second time and ended. Read the state once per look: asked twice, the task can
# finish in between, and COMPLETED would read as a failure. An empty answer (the controller busy for a moment) means
# look again. The task's log is appended to, not truncated: two "Shard 1/4" lines show that it really ran twice.
runs_of_shard_1() { grep -c '^Shard 1/4: ' "out/logs/sweep-${array}_0.out" || true; }
while state=$(job_states "${array}_0"); [[ $state != COMPLETED || $(runs_of_shard_1) != 2 ]]; do
  (( SECONDS - started < limit )) ||
    die "the requeued task did not run again and finish within ${limit} s: state $state, shard 1 ran $(runs_of_shard_1) times"
  [[ $state =~ ^(PENDING|CONFIGURING|RUNNING|COMPLETING|COMPLETED|REQUEUED|)$ ]] || die "the requeued task ended $state"
  sleep 0.5
done
cmp shard-1-before.jsonl out/shard-1/runs.jsonl || die "the requeued shard changed its run log instead of resuming"
say "requeued task ${array}_0 resumed its shard and ended COMPLETED, run log unchanged, after $((SECONDS - started)) s"
"$labelflip" sweep --config sweep.json --out single --quiet > /dev/null
cmp out/results.json single/results.json || die "the merged results.json differs from the single-process sweep's"
say "merged results.json is byte-identical to the single-process sweep's ($(wc -c < single/results.json) bytes); $((SECONDS - started)) s in all"

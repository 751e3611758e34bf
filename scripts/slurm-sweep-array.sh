#!/usr/bin/env bash
# A pocsim sweep as a Slurm job array: each array task runs one shard; a last job merges them.
#
#   sbatch scripts/slurm-sweep-array.sh scenarios/sweeps/mali_lhs.yaml results/mali_lhs
#   # when every task has finished (or chain it: sbatch --dependency=afterok:<array job id> ...):
#   build/release/pocsim merge results/mali_lhs-shard*.h5 -o results/mali_lhs.h5
#   build/release/pocsim analyse results/mali_lhs.h5
#
# A task that is killed (time limit, preemption) continues where it stopped when resubmitted with the same
# array index: the shard's journal (<store>.journal) keeps every finished run.
#SBATCH --job-name=pocsim-sweep
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=pocsim-sweep-%A_%a.log
set -euo pipefail
sweep=$1
prefix=$2
shards=${SLURM_ARRAY_TASK_COUNT:-16}
index=${SLURM_ARRAY_TASK_ID:?run this script with sbatch --array}
build/release/pocsim sweep "$sweep" --shard "$index/$shards" --threads "${SLURM_CPUS_PER_TASK:-0}" \
  -o "$prefix-shard$index.h5"

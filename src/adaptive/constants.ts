/** Constants of the adaptive memory and thread models (adaptive.md §3). */

/** Memory shared by all instances of one slot, paid once (MB). */
export const SANDBOX_OVERHEAD_MB = 3000;
/** Gridpack on /dev/shm per step-0 instance when its size was not measured (MB). */
export const TMPFS_PER_INSTANCE_MB = 1500;
/** Gridpack on /dev/shm for a split job when its size was not measured (MB). */
export const JOB_SPLIT_TMPFS_MB = 2000;
/** Minimum absolute headroom over the prior RSS (MB). */
export const CGROUP_HEADROOM_MB = 1000;
/** Extra memory per added thread (MB). */
export const PER_THREAD_OVERHEAD_MB = 250;
/** Most concurrent step-0 instances in one slot. */
export const MAX_PARALLEL = 4;
/** Floor of a per-instance (marginal) memory figure (MB). */
export const MIN_INSTANCE_MEMORY_MB = 500;
/** Floor of the round optimisation's memory request (MB). */
export const MIN_MEMORY_MB = 4000;
/** Default safety margin added to every measured memory figure. */
export const DEFAULT_SAFETY_MARGIN = 0.2;
/** Step-0 efficiency band in which extra (overcommitted) threads help. */
export const OVERCOMMIT_MIN_EFF = 0.5;
export const OVERCOMMIT_MAX_EFF = 0.9;

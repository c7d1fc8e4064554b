/**
 * Scripts the planner writes at the top of the submit directory (and links into each
 * merge-group directory). On a live pool they run for real; the simulator recognises
 * them by file name and runs the same logic in-process.
 */

const ELECT_SITE = `#!/bin/bash
# POST script of the landing node: elect_site.sh <site_file> <landing_log> <pool>
# Writes the CMS site the landing job matched to <site_file>; pool "local" elects "local".
site_file="$1"; landing_log="$2"; pool="\${3:-local}"
if [ "$pool" = "local" ]; then echo local > "$site_file"; exit 0; fi
cluster=$(grep -o '([0-9]*\\.' "$landing_log" | tail -n 1 | tr -dc '0-9')
for attempt in 1 2 3 4 5; do
  site=$(condor_history "$cluster.0" -af MATCH_GLIDEIN_CMSSite 2>/dev/null | head -n 1)
  if [ -n "$site" ] && [ "$site" != "undefined" ]; then echo "$site" > "$site_file"; exit 0; fi
  sleep 10
done
echo "elect_site: no matched site for cluster $cluster" >&2
exit 1
`;

const PIN_SITE = `#!/bin/bash
# PRE script: pin_site.sh <sub_file> <site_file>
# Pins the node to the elected site unless the site is "local". Always exits 0.
sub="$1"; site_file="$2"
site=$(cat "$site_file" 2>/dev/null)
[ -z "$site" ] || [ "$site" = "local" ] && exit 0
tmp="$sub.pin.$$"
grep -v -i -e '^+DESIRED_Sites' -e '^Requirements' "$sub" | grep -v -i '^queue' > "$tmp"
echo "+DESIRED_Sites = \\"$site\\"" >> "$tmp"
echo "Requirements = (TARGET.GLIDEIN_CMSSite == \\"$site\\")" >> "$tmp"
echo "queue 1" >> "$tmp"
mv "$tmp" "$sub"
exit 0
`;

/** Scripts that hand over to this project's CLI on the access point. */
function cliShim(cmd: string, sub: string, usage: string): string {
  return `#!/bin/bash
# ${usage}
exec ${cmd} ${sub} "$@"
`;
}

const PROC = `#!/bin/bash
# Processing wrapper: wms2_proc.sh --sandbox S --input LFNS --node-index N
#   [--output-info F] [--first-event F] [--last-event L] [--events-per-job E] [--ncpus C]
# Synthetic mode sleeps min(10 s, events x time_per_event) and writes min(10 MiB, events x
# size_per_event) bytes; the cmsRun modes need CMSSW on the worker node.
set -u
node=0; events=1
while [ $# -gt 0 ]; do
  case "$1" in
    --node-index) node="$2"; shift 2 ;;
    --events-per-job) events="$2"; shift 2 ;;
    *) shift ;;
  esac
done
manifest=manifest.json
[ -f manifest_tuned.json ] && manifest=manifest_tuned.json
mode=$(sed -n 's/.*"mode": *"\\([a-z]*\\)".*/\\1/p' "$manifest" | head -n 1)
if [ "$mode" != "synthetic" ]; then
  echo "wms2_proc: mode '$mode' needs cmsRun, which this wrapper cannot run here" >&2
  exit 1
fi
tpe=$(sed -n 's/.*"time_per_event_sec": *\\([0-9.]*\\).*/\\1/p' "$manifest" | head -n 1)
spe=$(sed -n 's/.*"size_per_event_kb": *\\([0-9.]*\\).*/\\1/p' "$manifest" | head -n 1)
secs=$(awk -v e="$events" -v t="\${tpe:-0.01}" 'BEGIN{s=e*t; if (s>10) s=10; print s}')
kb=$(awk -v e="$events" -v k="\${spe:-1}" 'BEGIN{s=int(e*k); if (s>10240) s=10240; if (s<1) s=1; print s}')
sleep "$secs"
head -c "$((kb * 1024))" /dev/urandom > "proc_\${node}_output.root"
echo "Step 1: wall=\${secs}s cpu_eff=None rss=None events=$events"
exit 0
`;

const MERGE = `#!/bin/bash
# Merge wrapper: wms2_merge.sh --sandbox S --output-info output_info.json
# Always creates every declared output file so HTCondor can transfer them back.
for f in merge_output.json work_unit_metrics.json cleanup_manifest.json; do
  [ -f "$f" ] || echo '{}' > "$f"
done
exit 0
`;

const CLEANUP = `#!/bin/bash
# Cleanup wrapper: wms2_cleanup.sh --output-info output_info.json
exit 0
`;

export function plannerScripts(wms2Command: string): Record<string, string> {
  return {
    "elect_site.sh": ELECT_SITE,
    "pin_site.sh": PIN_SITE,
    "post_script.sh": cliShim(
      wms2Command,
      "post-script",
      "POST script of proc/merge nodes: post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES",
    ),
    "wu_post.sh": cliShim(
      wms2Command,
      "wu-post",
      "POST script of a work-unit SUBDAG node: wu_post.sh $JOB $RETURN <group_dir>",
    ),
    "wms2_replan.sh": cliShim(
      wms2Command,
      "replan",
      "Replan node between adaptive work units: wms2_replan.sh --wu-dir D --prior-wu-dirs A,B ...",
    ),
    "wms2_proc.sh": PROC,
    "wms2_merge.sh": MERGE,
    "wms2_cleanup.sh": CLEANUP,
  };
}

/** Scripts linked into every merge-group directory (DAG lines name them relatively). */
export const GROUP_LINKED_SCRIPTS = ["elect_site.sh", "pin_site.sh", "post_script.sh"];

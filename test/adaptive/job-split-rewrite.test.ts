import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type JobSplitDecision,
  planJobSplitRewrite,
  rewriteWuForJobSplit,
  splitEventRanges,
} from "../../src/adaptive/index.js";
import { InputError } from "../../src/model/errors.js";

/** A merge group as the planner writes it (formats.md §4.1, §5.1), two jobs of 5 events. */
const PLANNER_DAG = `# Merge group 0
NODE_STATUS_FILE group.dag.status
JOB landing landing.sub
SCRIPT POST landing elect_site.sh elected_site landing.log local
RETRY landing 3 UNLESS-EXIT 42
JOB proc_000000 proc_000000.sub
SCRIPT PRE proc_000000 pin_site.sh proc_000000.sub elected_site
SCRIPT POST proc_000000 post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES
JOB proc_000001 proc_000001.sub
SCRIPT PRE proc_000001 pin_site.sh proc_000001.sub elected_site
SCRIPT POST proc_000001 post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES
JOB merge merge.sub
SCRIPT PRE merge pin_site.sh merge.sub elected_site
SCRIPT POST merge post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES
JOB cleanup cleanup.sub
SCRIPT PRE cleanup pin_site.sh cleanup.sub elected_site
RETRY proc_000000 5 UNLESS-EXIT 42
RETRY proc_000001 5 UNLESS-EXIT 42
RETRY merge 2 UNLESS-EXIT 42
RETRY cleanup 1
ABORT-DAG-ON proc_000000 43 RETURN 1
ABORT-DAG-ON proc_000001 43 RETURN 1
ABORT-DAG-ON merge 43 RETURN 1
PARENT landing CHILD proc_000000 proc_000001
PARENT proc_000000 proc_000001 CHILD merge
PARENT merge CHILD cleanup
CATEGORY proc_000000 Processing
CATEGORY proc_000001 Processing
CATEGORY merge Merge
CATEGORY cleanup Cleanup
MAXJOBS Processing 5000
MAXJOBS Merge 100
MAXJOBS Cleanup 50
`;

const procSub = (i: number, first: number, last: number) => `# processing node ${i}
universe = vanilla
executable = ../wms2_proc.sh
arguments = --sandbox sandbox.tar.gz --input synthetic://gen/events_${first}_${last} --node-index ${i} --output-info output_info.json --first-event ${first} --last-event ${last} --events-per-job 5 --ncpus 8
output = proc_00000${i}.out
error = proc_00000${i}.err
log = proc_00000${i}.log
request_cpus = 8
request_memory = 16000
request_disk = 20971520
should_transfer_files = YES
when_to_transfer_output = ON_EXIT
transfer_input_files = ../sandbox.tar.gz, output_info.json
transfer_output_files = 
+CMS_Type = "production"
accounting_group = production
periodic_remove = (JobStatus == 5 && (time() - EnteredCurrentStatus) > 420)
Requirements = 
queue 1
`;

const MANIFEST = {
  mode: "simulator",
  steps: [
    { name: "GEN", multicore: 8 },
    { name: "DIGI", multicore: 8 },
  ],
};

/** Split by 2: 4 jobs of 2 events at 4 cores, 8000 MB. */
const SPLIT: JobSplitDecision = {
  tunedNthreads: 4,
  jobMultiplier: 2,
  newNumJobs: 4,
  newEventsPerJob: 2,
  newRequestCpus: 4,
  newRequestMemoryMb: 8000,
};

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function groupDir(files: Record<string, string> = {}): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "job-split-")));
  roots.push(root);
  const all: Record<string, string> = {
    "group.dag": PLANNER_DAG,
    "proc_000000.sub": procSub(0, 11, 15),
    "proc_000001.sub": procSub(1, 16, 20),
    "manifest.json": JSON.stringify(MANIFEST),
    ...files,
  };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(root, name), text);
  return root;
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
const eventsOf = (sub: string) => {
  const m = /--first-event (\d+) --last-event (\d+)/.exec(sub)!;
  return [Number(m[1]), Number(m[2])];
};

describe("splitEventRanges", () => {
  it("covers every event once: the last job takes the tail (reference bug 13 fixed)", () => {
    const ranges = splitEventRanges(11, 20, 8, 1);
    expect(ranges.map((r) => [r.first, r.last])).toEqual([
      [11, 11],
      [12, 12],
      [13, 13],
      [14, 14],
      [15, 15],
      [16, 16],
      [17, 17],
      [18, 20],
    ]);
    expect(ranges[7].eventsPerJob).toBe(3);
    expect(splitEventRanges(1, 10, 5, 2).map((r) => r.last)).toEqual([2, 4, 6, 8, 10]);
  });
});

describe("rewriteWuForJobSplit, planner layout (the default)", () => {
  it("keeps the planner's DAG lines and repeats the proc lines for every new node", () => {
    const dir = groupDir();
    expect(rewriteWuForJobSplit(dir, SPLIT)).toEqual({
      procFilesWritten: 4,
      oldProcFilesDeleted: 2,
    });
    const nodes = ["proc_000000", "proc_000001", "proc_000002", "proc_000003"];
    const per = (f: (n: string) => string) => nodes.map(f).join("\n");
    const expected = `# Merge group 0 (job split: 2x)
NODE_STATUS_FILE group.dag.status
JOB landing landing.sub
SCRIPT POST landing elect_site.sh elected_site landing.log local
RETRY landing 3 UNLESS-EXIT 42
${per((n) => `JOB ${n} ${n}.sub\nSCRIPT PRE ${n} pin_site.sh ${n}.sub elected_site\nSCRIPT POST ${n} post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES`)}
JOB merge merge.sub
SCRIPT PRE merge pin_site.sh merge.sub elected_site
SCRIPT POST merge post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES
JOB cleanup cleanup.sub
SCRIPT PRE cleanup pin_site.sh cleanup.sub elected_site
${per((n) => `RETRY ${n} 5 UNLESS-EXIT 42`)}
RETRY merge 2 UNLESS-EXIT 42
RETRY cleanup 1
${per((n) => `ABORT-DAG-ON ${n} 43 RETURN 1`)}
ABORT-DAG-ON merge 43 RETURN 1
PARENT landing CHILD ${nodes.join(" ")}
PARENT ${nodes.join(" ")} CHILD merge
PARENT merge CHILD cleanup
${per((n) => `CATEGORY ${n} Processing`)}
CATEGORY merge Merge
CATEGORY cleanup Cleanup
MAXJOBS Processing 5000
MAXJOBS Merge 100
MAXJOBS Cleanup 50
`;
    expect(read(dir, "group.dag")).toBe(expected);
  });

  it("derives each submit file from the template, keeping its other lines", () => {
    const dir = groupDir();
    rewriteWuForJobSplit(dir, SPLIT);
    const expected = procSub(3, 0, 0)
      .replace("# processing node 3", "# processing node 3 (job split)")
      .replace(
        /^arguments = .*$/m,
        "arguments = --sandbox sandbox.tar.gz --input synthetic://gen/events_17_20 --node-index 3 --output-info output_info.json --first-event 17 --last-event 20 --events-per-job 4 --ncpus 4",
      )
      .replace("request_cpus = 8", "request_cpus = 4")
      .replace("request_memory = 16000", "request_memory = 8000")
      .replace(
        "transfer_input_files = ../sandbox.tar.gz, output_info.json",
        `transfer_input_files = ../sandbox.tar.gz, output_info.json, ${join(dir, "manifest_tuned.json")}`,
      );
    expect(read(dir, "proc_000003.sub")).toBe(expected);
  });

  it("assigns every old event exactly once", () => {
    const dir = groupDir();
    rewriteWuForJobSplit(dir, SPLIT);
    const subs = readdirSync(dir)
      .filter((n) => n.endsWith(".sub"))
      .sort();
    expect(subs).toEqual([
      "proc_000000.sub",
      "proc_000001.sub",
      "proc_000002.sub",
      "proc_000003.sub",
    ]);
    const events = subs.flatMap((n) => {
      const [f, l] = eventsOf(read(dir, n));
      return Array.from({ length: l - f + 1 }, (_, k) => f + k);
    });
    expect(events).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it("writes the tuned manifest with every step at the new thread count", () => {
    const dir = groupDir();
    rewriteWuForJobSplit(dir, SPLIT, { splitTmpfs: true });
    expect(JSON.parse(read(dir, "manifest_tuned.json"))).toEqual({
      mode: "simulator",
      steps: [
        { name: "GEN", multicore: 4, n_parallel: 1 },
        { name: "DIGI", multicore: 4, n_parallel: 1 },
      ],
      split_tmpfs: true,
    });
  });
});

describe("rewriteWuForJobSplit, reference layout", () => {
  it("drops the status file and the 4-argument POST scripts, as the reference did", () => {
    const dir = groupDir();
    rewriteWuForJobSplit(dir, SPLIT, { layout: "reference" });
    const dag = read(dir, "group.dag");
    expect(dag.startsWith("# Merge group (job split: 2x)\n\nJOB landing landing.sub\n")).toBe(true);
    expect(dag).not.toContain("NODE_STATUS_FILE");
    expect(dag).not.toContain("SCRIPT POST proc_");
    expect(dag).toContain("SCRIPT PRE proc_000003 pin_site.sh proc_000003.sub elected_site\n");
    expect(dag).toContain("RETRY proc_000003 3 UNLESS-EXIT 42\n");
    const sub = read(dir, "proc_000003.sub");
    expect(sub).not.toContain("periodic_remove");
    expect(eventsOf(sub)).toEqual([17, 20]);
  });
});

describe("rewriteWuForJobSplit errors", () => {
  it("a missing group.dag is one clear line, and nothing is changed", () => {
    const dir = groupDir();
    rmSync(join(dir, "group.dag"));
    expect(() => rewriteWuForJobSplit(dir, SPLIT)).toThrow(InputError);
    expect(() => rewriteWuForJobSplit(dir, SPLIT)).toThrow(`${join(dir, "group.dag")}: not found`);
    expect(read(dir, "proc_000001.sub")).toBe(procSub(1, 16, 20));
    expect(existsSync(join(dir, "manifest_tuned.json"))).toBe(false);
  });

  it("a malformed manifest or no proc files is an InputError naming the file", () => {
    const bad = groupDir({ "manifest.json": '{"steps": 3}' });
    expect(() => rewriteWuForJobSplit(bad, SPLIT)).toThrow(
      `${join(bad, "manifest.json")}: field steps: expected a list`,
    );
    const empty = groupDir();
    rmSync(join(empty, "proc_000000.sub"));
    rmSync(join(empty, "proc_000001.sub"));
    expect(() => rewriteWuForJobSplit(empty, SPLIT)).toThrow(`${empty}: no proc_*.sub files`);
  });

  it("the plan can be computed without a disk", () => {
    const plan = planJobSplitRewrite(
      {
        groupDir: "/wu",
        procSubmits: [{ name: "proc_000000.sub", text: procSub(0, 1, 5) }],
        manifest: MANIFEST,
        groupDag: PLANNER_DAG,
      },
      { ...SPLIT, newNumJobs: 2 },
    );
    expect(plan.delete).toEqual(["proc_000000.sub"]);
    expect(Object.keys(plan.write).sort()).toEqual([
      "group.dag",
      "manifest_tuned.json",
      "proc_000000.sub",
      "proc_000001.sub",
    ]);
    expect(eventsOf(plan.write["proc_000001.sub"])).toEqual([3, 5]);
  });
});

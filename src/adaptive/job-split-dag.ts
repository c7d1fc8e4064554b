/**
 * The work unit's `group.dag` after a job split (adaptive.md §15 step 8), in two layouts:
 * - `reference`: the DAG the reference regenerated. It drops NODE_STATUS_FILE, VARS and
 *   the merge POST script, and keeps proc POST scripts only in the old 2-argument form
 *   (`<script> <node> $RETURN`), so the planner's `$JOB $RETURN $RETRY $MAX_RETRIES`
 *   POST scripts are lost (formats.md §4.2).
 * - `planner` (used by WMS2): the original DAG with every proc node's lines replaced by
 *   the template node's lines repeated for each new node; all other lines (status file,
 *   landing/merge/cleanup nodes and scripts, RETRY counts, ABORT-DAG-ON, CATEGORY,
 *   MAXJOBS, ...) are kept as the planner wrote them.
 */

function lines(text: string): string[] {
  return text.replace(/\n$/, "").split("\n");
}

function firstLine(all: readonly string[], pattern: RegExp): string | undefined {
  return all.find((l) => pattern.test(l))?.trimEnd();
}

/** The DAG the reference wrote for the new proc nodes `names`. */
export function referenceGroupDag(
  originalDag: string,
  names: readonly string[],
  multiplier: number,
): string {
  const orig = lines(originalDag);
  const pre = orig.map((l) => /^SCRIPT\s+PRE\s+proc_\d+\s+(.+)$/.exec(l)).find((m) => m);
  const preTokens = pre ? pre[1].trim().split(/\s+/) : [];
  const post = orig
    .map((l) => /^SCRIPT\s+POST\s+proc_\d+\s+(.+?)\s+proc_\d+\s+\$RETURN/.exec(l))
    .find((m) => m);
  const postScript = post ? post[1].trim() : "";

  const out = [`# Merge group (job split: ${multiplier}x)`, ""];
  out.push(firstLine(orig, /^JOB\s+landing\s/) ?? "JOB landing landing.sub");
  const landingPost = firstLine(orig, /^SCRIPT\s+POST\s+landing\s/);
  if (landingPost) out.push(landingPost);
  out.push("");
  for (const n of names) {
    out.push(`JOB ${n} ${n}.sub`);
    if (preTokens.length > 0) {
      const extra = preTokens.length > 2 ? ` ${preTokens[2]}` : "";
      out.push(`SCRIPT PRE ${n} ${preTokens[0]} ${n}.sub${extra}`);
    }
    if (postScript) out.push(`SCRIPT POST ${n} ${postScript} ${n} $RETURN`);
    out.push("");
  }
  for (const node of ["merge", "cleanup"]) {
    const job = firstLine(orig, new RegExp(`^JOB\\s+${node}\\s`));
    const nodePre = firstLine(orig, new RegExp(`^SCRIPT\\s+PRE\\s+${node}\\s`));
    if (job) out.push(job);
    if (nodePre) out.push(nodePre);
    out.push("");
  }
  for (const n of names) out.push(`RETRY ${n} 3 UNLESS-EXIT 42`);
  out.push("RETRY merge 2 UNLESS-EXIT 42", "RETRY cleanup 1", "");
  for (const n of names) out.push(`ABORT-DAG-ON ${n} 43 RETURN 1`);
  out.push("ABORT-DAG-ON merge 43 RETURN 1", "");
  const all = names.join(" ");
  out.push(
    `PARENT landing CHILD ${all}`,
    `PARENT ${all} CHILD merge`,
    "PARENT merge CHILD cleanup",
    "",
  );
  for (const n of names) out.push(`CATEGORY ${n} Processing`);
  out.push("CATEGORY merge Merge", "CATEGORY cleanup Cleanup");
  out.push(...orig.filter((l) => /^MAXJOBS\s/.test(l)).map((l) => l.trimEnd()));
  return `${out.join("\n")}\n`;
}

/** Keywords whose second token (after SCRIPT's optional DEFER and type) names one node. */
const NODE_KEYWORDS = new Set([
  "JOB",
  "SCRIPT",
  "RETRY",
  "ABORT-DAG-ON",
  "CATEGORY",
  "VARS",
  "PRIORITY",
  "PRE_SKIP",
  "DONE",
]);

/** The node a per-node line refers to, or undefined for other lines. */
export function lineNode(line: string): string | undefined {
  const t = line.trim().split(/\s+/);
  const keyword = t[0]?.toUpperCase();
  if (!keyword || !NODE_KEYWORDS.has(keyword)) return undefined;
  if (keyword === "SCRIPT") {
    let i = 1;
    if (t[i]?.toUpperCase() === "DEFER") i += 3;
    return t[i + 1];
  }
  return t[1];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A PARENT/CHILD line with the old proc nodes replaced by the new ones; null to drop it. */
function rewriteEdge(line: string, oldProcs: Set<string>, names: readonly string[]): string | null {
  const tokens = line.trim().split(/\s+/);
  const childAt = tokens.findIndex((t) => t.toUpperCase() === "CHILD");
  if (childAt < 0) return line;
  const replaceSide = (side: string[]): { side: string[]; had: boolean } => {
    const had = side.some((t) => oldProcs.has(t));
    const out: string[] = [];
    let done = false;
    for (const t of side) {
      if (!oldProcs.has(t)) out.push(t);
      else if (!done) {
        out.push(...names);
        done = true;
      }
    }
    return { side: out, had };
  };
  const parents = replaceSide(tokens.slice(1, childAt));
  const children = replaceSide(tokens.slice(childAt + 1));
  if (parents.had && children.had) return null;
  return [tokens[0], ...parents.side, tokens[childAt], ...children.side].join(" ");
}

/**
 * The original DAG with its proc nodes replaced by `names`. Each run of consecutive proc
 * lines is rebuilt from the lines of the run's first node, repeated per new node (with a
 * blank line between nodes when the run had blank lines); PARENT/CHILD lines list the new
 * nodes; the first comment line notes the split.
 */
export function plannerGroupDag(
  originalDag: string,
  names: readonly string[],
  multiplier: number,
): string {
  const orig = lines(originalDag);
  const oldProcs = new Set(
    orig.map((l) => /^\s*JOB\s+(proc_\d+)\s/i.exec(l)?.[1]).filter((n): n is string => !!n),
  );
  const isProcLine = (l: string) => {
    const node = lineNode(l);
    return node !== undefined && oldProcs.has(node);
  };
  const out: string[] = [];
  let i = 0;
  while (i < orig.length) {
    const line = orig[i];
    if (i === 0 && line.startsWith("#")) {
      out.push(`${line.trimEnd()} (job split: ${multiplier}x)`);
      i++;
    } else if (isProcLine(line)) {
      let end = i;
      for (let j = i; j < orig.length && (isProcLine(orig[j]) || orig[j].trim() === ""); j++) {
        if (isProcLine(orig[j])) end = j;
      }
      const run = orig.slice(i, end + 1);
      const template = lineNode(run[0])!;
      const pattern = run.filter((l) => lineNode(l) === template);
      const separated = run.some((l) => l.trim() === "");
      const nameRe = new RegExp(`\\b${escapeRegExp(template)}\\b`, "g");
      names.forEach((n, k) => {
        if (k > 0 && separated) out.push("");
        for (const p of pattern) out.push(p.replace(nameRe, n));
      });
      i = end + 1;
    } else if (/^\s*PARENT\s/i.test(line)) {
      const edge = rewriteEdge(line, oldProcs, names);
      if (edge !== null) out.push(edge);
      i++;
    } else {
      out.push(line);
      i++;
    }
  }
  return `${out.join("\n")}\n`;
}

import type { DagProgress } from "../control/dag-monitor.js";
import type { WorkflowResult } from "../model/results.js";
import { formatWorkflowId, type WorkflowDef } from "../model/workflow.js";

function hms(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  return `${String(Math.floor(s / 3600)).padStart(2, "0")}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * Progress on stderr: on a terminal one live line (workflow, state, nodes done/total,
 * elapsed time on the backend's clock); otherwise one plain line per start and finish.
 */
export class Progress {
  private live = "";
  constructor(
    private readonly write: (s: string) => void,
    private readonly tty: boolean,
    private readonly total: number,
  ) {}
  private done = 0;

  start(wf: WorkflowDef): void {
    if (!this.tty)
      this.write(
        `[${this.done + 1}/${this.total}] ${formatWorkflowId(wf.id)} running: ${wf.title}\n`,
      );
    else this.show(`${formatWorkflowId(wf.id)} planning`);
  }

  update(wf: WorkflowDef, p: { progress: DagProgress; elapsedSec: number }): void {
    if (!this.tty) return;
    const inner = p.progress.inner;
    this.show(
      `${formatWorkflowId(wf.id)} running  nodes ${inner.done}/${inner.total} done, ${inner.running} running, ${inner.idle} idle  t=${hms(p.elapsedSec)}`,
    );
  }

  finish(r: WorkflowResult): void {
    this.done++;
    const line = `[${this.done}/${this.total}] ${formatWorkflowId(r.wfId)} ${r.status.toUpperCase()}${r.status === "skipped" ? "" : ` (${hms(r.elapsedSec)} on the backend clock, ${r.wallSec.toFixed(2)} s real)`}${r.reason ? ` — ${r.reason}` : ""}`;
    if (this.tty) this.clear();
    this.write(`${line}\n`);
  }

  private show(s: string): void {
    if (s === this.live) return;
    this.clear();
    this.write(s);
    this.live = s;
  }

  private clear(): void {
    if (this.live) this.write(`\r${" ".repeat(this.live.length)}\r`);
    this.live = "";
  }
}

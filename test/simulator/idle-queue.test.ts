import { describe, expect, it } from "vitest";
import { IdleQueue } from "../../simulator/pool/idle-queue.js";
import type { JobRecord } from "../../simulator/pool/job-record.js";

const job = (id: number, priority = 0) => ({ id, priority }) as JobRecord;

function order(q: IdleQueue, stopAfter = Number.POSITIVE_INFINITY): number[] {
  const seen: number[] = [];
  q.walk((j) => {
    seen.push(j.id);
    return seen.length < stopAfter;
  });
  return seen;
}

describe("IdleQueue: the negotiator's order of idle jobs", () => {
  it("walks by priority (high first), then cluster id, whatever the order of arrival", () => {
    const q = new IdleQueue();
    for (const j of [job(5), job(3), job(9, 10), job(1), job(7, -1), job(8, 10)]) q.add(j);
    expect(order(q)).toEqual([8, 9, 1, 3, 5, 7]);
    expect(q.size).toBe(6);
  });

  it("leaves out jobs that left, also those leaving during a walk, and keeps the rest", () => {
    const q = new IdleQueue();
    const jobs = [1, 2, 3, 4, 5, 6].map((id) => job(id));
    for (const j of jobs) q.add(j);
    q.delete(jobs[0]);
    const seen: number[] = [];
    q.walk((j) => {
      seen.push(j.id);
      if (j.id === 2) q.delete(jobs[3]); // job 4 leaves while job 2 is looked at
      return true;
    });
    expect(seen).toEqual([2, 3, 5, 6]);
    expect(q.size).toBe(4);
    expect(q.has(jobs[3])).toBe(false);
  });

  it("stops where the visitor says, and a job added during a walk comes in the next", () => {
    const q = new IdleQueue();
    for (const id of [10, 11, 12]) q.add(job(id));
    const seen: number[] = [];
    q.walk((j) => {
      seen.push(j.id);
      if (j.id === 10) q.add(job(4));
      return j.id !== 11;
    });
    expect(seen).toEqual([10, 11]);
    expect(order(q)).toEqual([4, 10, 11, 12]);
  });

  it("puts a job that comes back (a release) at its place again, once", () => {
    const q = new IdleQueue();
    const jobs = [1, 2, 3].map((id) => job(id));
    for (const j of jobs) q.add(j);
    q.delete(jobs[1]);
    expect(order(q)).toEqual([1, 3]);
    q.add(jobs[1]);
    q.add(jobs[1]);
    expect(order(q)).toEqual([1, 2, 3]);
    expect(order(q, 1)).toEqual([1]);
  });

  it("sweeps many dead places without losing order", () => {
    const q = new IdleQueue();
    const jobs = Array.from({ length: 1000 }, (_, i) => job(i + 1, i % 3));
    for (const j of jobs) q.add(j);
    for (const j of jobs) if (j.id % 4 !== 0) q.delete(j);
    const expected = jobs
      .filter((j) => j.id % 4 === 0)
      .sort((a, b) => b.priority - a.priority || a.id - b.id)
      .map((j) => j.id);
    expect(order(q)).toEqual(expected);
    expect(q.size).toBe(250);
  });
});

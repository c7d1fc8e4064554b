import { describe, expect, it } from "vitest";
import { newNodeRun, S } from "../../simulator/dagman/node.js";
import { NodeBook } from "../../simulator/dagman/node-book.js";

function nodes(n: number) {
  return Array.from({ length: n }, (_, i) =>
    newNodeRun({ name: `n${i}`, kind: "JOB", file: `n${i}.sub` }, "/d", i),
  );
}

describe("NodeBook", () => {
  it("counts nodes per state and keeps the READY nodes in DAG order", () => {
    const ns = nodes(5);
    ns[1].state = S.READY;
    const book = new NodeBook(ns);
    expect(book.counts[S.NOT_READY]).toBe(4);
    expect(book.counts[S.READY]).toBe(1);
    book.setState(ns[4], S.READY);
    book.setState(ns[0], S.READY);
    book.setState(ns[1], S.SUBMITTED);
    expect(book.readyInOrder().map((n) => n.def.name)).toEqual(["n0", "n4"]);
    expect(book.anyReady).toBe(true);
    book.setState(ns[0], S.DONE);
    book.setState(ns[4], S.ERROR);
    expect(book.anyReady).toBe(false);
    expect(book.counts).toEqual([2, 0, 0, 1, 0, 1, 1, 0]);
  });

  it("tells whether the status file is behind, a change and its undoing cancelling out", () => {
    const ns = nodes(3);
    const book = new NodeBook(ns);
    expect(book.changedSinceShown).toBe(true); // nothing written yet
    book.markShown();
    expect(book.changedSinceShown).toBe(false);
    book.setFlags(ns[0], false, true);
    expect(book.changedSinceShown).toBe(true);
    book.setFlags(ns[0], false, false);
    expect(book.changedSinceShown).toBe(false);
    book.setState(ns[1], S.READY);
    book.addRetry(ns[2]);
    expect(ns[2].retry).toBe(1);
    book.setState(ns[1], S.NOT_READY);
    expect(book.changedSinceShown).toBe(true); // the retry is still new
    book.markShown();
    expect(book.changedSinceShown).toBe(false);
    book.setFlags(ns[2], true, false);
    expect(book.changedSinceShown).toBe(true);
  });
});

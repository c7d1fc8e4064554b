import { describe, expect, it } from "vitest";
import { firstRoundMemory, MemoryPerCoreError } from "../../src/adaptive/index.js";
import { InputError } from "../../src/model/errors.js";

const window = { defaultMemoryPerCore: 2000, maxMemoryPerCore: 3000 };

describe("firstRoundMemory (adaptive.md §19.1)", () => {
  it("within the default: default per core × cores", () => {
    expect(firstRoundMemory(12000, 8, window)).toEqual({
      memoryMb: 16000,
      perCoreMb: 1500,
      source: "default",
    });
  });

  it("above the default: the request's own memory (fewer sites)", () => {
    expect(firstRoundMemory(20000, 8, window)).toEqual({
      memoryMb: 20000,
      perCoreMb: 2500,
      source: "request",
    });
    expect(firstRoundMemory(24000, 8, window).source).toBe("request");
  });

  it("above the maximum: rejected with a one-line error naming the request and field", () => {
    expect(() => firstRoundMemory(32000, 8, window, "req-A")).toThrow(MemoryPerCoreError);
    expect(() => firstRoundMemory(32000, 8, window, "req-A")).toThrow(InputError);
    try {
      firstRoundMemory(32000, 8, window, "req-A");
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toBe(
        "entry req-A: field Memory: 32000 MB over 8 cores is 4000 MB per core, above the maximum of 3000 MB per core",
      );
      expect(msg).not.toContain("\n");
    }
  });

  it("rejects a request without cores", () => {
    expect(() => firstRoundMemory(8000, 0, window, "req-B")).toThrow(
      /entry req-B: field Multicore/,
    );
  });
});

// A second process writing to a results database through plain better-sqlite3, with the
// SQL the store exports (passed in by the test as JSON on standard input). Modes:
//   insert: one transaction per row, `delayMs` apart; prints "ready" first and "done <ms>" last.
//   kill:   inserts the rows inside one open transaction, then kills itself before COMMIT.
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";

const { file, sql, rows, delayMs, mode } = JSON.parse(readFileSync(0, "utf8"));
const db = new Database(file);
db.pragma("busy_timeout = 10000");
const insert = db.prepare(sql);
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

if (mode === "kill") {
  db.exec("BEGIN IMMEDIATE");
  for (const row of rows) insert.run(row);
  process.kill(process.pid, "SIGKILL");
} else {
  process.stdout.write("ready\n");
  const started = Date.now();
  for (const row of rows) {
    db.transaction(() => insert.run(row))();
    if (delayMs > 0) pause(delayMs);
  }
  db.close();
  process.stdout.write(`done ${Date.now() - started}\n`);
}

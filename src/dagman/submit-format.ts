import type { SubmitModel } from "./model.js";
import { SUBMIT_KEY } from "./submit-parse.js";

/**
 * Write a submit description: header comments, one `key = value` line per entry in
 * order, then the `queue` statement. `parseSubmit(formatSubmit(m))` gives `m` back;
 * a model that could not be read back identically (a key that is not a command name,
 * a value with a line break or surrounding blanks) throws an Error naming the entry.
 */
export function formatSubmit(model: SubmitModel): string {
  const lines = model.header.map((h) => {
    if (/[\r\n]/.test(h)) throw new Error("formatSubmit: a header line contains a line break");
    return `#${h}`;
  });
  for (const { key, value } of model.entries) {
    if (!SUBMIT_KEY.test(key) || /^queue$/i.test(key))
      throw new Error(`formatSubmit: illegal command name "${key}"`);
    if (/[\r\n]/.test(value) || value !== value.trim()) {
      throw new Error(`formatSubmit: value of "${key}" cannot be written on one line as is`);
    }
    lines.push(value === "" ? `${key} =` : `${key} = ${value}`);
  }
  const q = model.queue;
  if (/[\r\n]/.test(q) || q !== q.trim()) throw new Error("formatSubmit: bad queue argument");
  lines.push(q === "" ? "queue" : `queue ${q}`);
  return `${lines.join("\n")}\n`;
}

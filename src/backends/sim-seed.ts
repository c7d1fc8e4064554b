import { join } from "node:path";
import { DAG_FILE, SUBMIT_FILE } from "../../simulator/file-codecs.js";
import { type FileCodec, type SimFs, writeFileValue } from "../../simulator/fs.js";
import { formatDagmanConfig } from "../planner/outer-dag.js";
import { GROUP_LINKED_SCRIPTS } from "../planner/scripts.js";
import type { DagBundle } from "../planner/types.js";
import { jsonText } from "../planner/write.js";

/**
 * Put the files `writeBundle` writes into a simulator file system (the sandbox tarball, which
 * the simulated wrapper never opens, is left out; linked scripts are copies). `values`: the
 * planner's DAG and submit models are handed over as they are (read back without text, see
 * `writeFileValue`); `text`: they are formatted, and the simulated DAGMan parses them.
 */
export function seedBundle(fs: SimFs, bundle: DagBundle, form: "values" | "text"): void {
  const dir = bundle.submitDir;
  const put = <T>(path: string, codec: FileCodec<T>, value: T) =>
    form === "values"
      ? writeFileValue(fs, path, codec, value)
      : fs.writeText(path, codec.format(value));
  for (const [name, text] of Object.entries(bundle.scripts)) fs.writeText(join(dir, name), text);
  fs.writeText(join(dir, "dagman.config"), formatDagmanConfig(bundle.dagmanConfig));
  for (const g of bundle.groups) {
    const gdir = join(dir, g.name);
    for (const [name, sub] of Object.entries(g.submits)) put(join(gdir, name), SUBMIT_FILE, sub);
    fs.writeText(join(gdir, "manifest.json"), jsonText(g.manifest));
    fs.writeText(join(gdir, "output_info.json"), jsonText(g.outputInfo));
    for (const s of GROUP_LINKED_SCRIPTS) fs.writeText(join(gdir, s), bundle.scripts[s] ?? "");
    put(join(gdir, "group.dag"), DAG_FILE, g.dag);
  }
  put(join(dir, "workflow.dag"), DAG_FILE, bundle.outer);
}

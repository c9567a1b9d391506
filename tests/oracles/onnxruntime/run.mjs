// Runs an ONNX model with onnxruntime-node (ONNX Runtime's JavaScript binding, CPU) — an independent runtime for the
// models energyreg exports (docs/onnx.md).
//
//   node run.mjs MODEL.onnx INPUTS.json
//
// INPUTS.json: {"NAME": {"type": "float32"|"float64"|"int64", "dims": [N, ...], "data": [...]}, ...}
// stdout: one JSON object {"inputs": [names], "outputs": {"NAME": {"dims": [...], "data": [...]}}}. Exit 2 on usage errors,
// 1 when the runtime refuses the model or the inputs.
import { readFileSync } from "node:fs";
import ort from "onnxruntime-node";

const [model, inputsFile] = process.argv.slice(2);
if (!model || !inputsFile) {
  console.error("usage: node run.mjs MODEL.onnx INPUTS.json");
  process.exit(2);
}
const arrays = { float32: Float32Array, float64: Float64Array, int64: BigInt64Array };
try {
  const session = await ort.InferenceSession.create(model, { executionProviders: ["cpu"] });
  const given = JSON.parse(readFileSync(inputsFile, "utf8"));
  const feeds = {};
  for (const [name, { type, dims, data }] of Object.entries(given)) {
    const values = type === "int64" ? data.map((v) => BigInt(v)) : data;
    feeds[name] = new ort.Tensor(type, arrays[type].from(values), dims);
  }
  const results = await session.run(feeds);
  const outputs = {};
  for (const name of session.outputNames) {
    outputs[name] = { dims: results[name].dims, data: Array.from(results[name].data, Number) };
  }
  process.stdout.write(JSON.stringify({ inputs: session.inputNames, outputs }) + "\n");
} catch (e) {
  console.error(`onnxruntime-node: ${e.message}`);
  process.exit(1);
}
